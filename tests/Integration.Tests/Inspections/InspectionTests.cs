using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ECase.Application.Common;
using ECase.Application.Files;
using ECase.Application.Inspections;
using ECase.Application.Submissions;
using ECase.Domain.Inspections;
using ECase.Projections.Inspections;
using ECase.Application.Content;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace ECase.Integration.Tests.Inspections;

/// <summary>A file with two cases and a two-page letter each, as a clerk of HA registered it.</summary>
public sealed record InspectableFile(FileOpenedResult File, Guid CaseA, Guid DocumentA, Guid CaseB, Guid DocumentB);

/// <summary>Akteneinsicht (issue #7) through the API: request, decision, redacted pages, scope, IDOR, expiry, withdrawal, audit.</summary>
[Collection(ApiCollection.Name)]
public sealed class InspectionTests(ECaseApp app)
{
    public const string Secret = "Geheim Max Mustermann";
    public const string Public = "Bauantrag Schlossstrasse 7";

    /// <summary>Where the secret line sits on page 1, in points from the bottom left (with a little room around the glyphs).</summary>
    public static readonly object SecretBox = new { page = 1, x = 60.0, y = 692.0, width = 300.0, height = 26.0 };

    private readonly Given _given = new(app);
    private readonly HttpClient _citizen = app.ClientFor("citizen");
    private readonly HttpClient _otherCitizen = app.ClientFor("citizen-2");

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Page 1: a public line and a secret line; page 2: a hearing protocol.</summary>
    public static byte[] Letter(string marker)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var one = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        one.AddText(Public, 12, new PdfPoint(72, 750), font);
        one.AddText(Secret, 12, new PdfPoint(72, 700), font);
        one.AddText($"Kennung {marker}", 12, new PdfPoint(72, 650), font);
        var two = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        two.AddText("Protokoll der Anhoerung", 12, new PdfPoint(72, 750), font);
        return builder.Build();
    }

    public static async Task<InspectableFile> FileAsync(Given given)
    {
        var file = await given.FileAsync(title: "Bauantrag Schlossstrasse 7");
        var a = await given.CaseAsync(file.Id, title: "Antrag");
        var b = await given.CaseAsync(file.Id, title: "Stellungnahmen");
        var docA = await SubmitAsync(given, a.Id, "Antrag.pdf", Letter("A"));
        var docB = await SubmitAsync(given, b.Id, "Stellungnahme.pdf", Letter("B"));
        return new InspectableFile(file, a.Id, docA, b.Id, docB);
    }

    private static async Task<Guid> SubmitAsync(Given given, Guid caseId, string name, byte[] pdf)
    {
        var registered = await (await given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions", Given.Submission(files: (name, "application/pdf", pdf))))
            .ReadAsync<SubmissionRegistered>();
        return registered.DocumentIds.Single();
    }

    private async Task<Guid> RequestAsync(string reference, HttpClient? citizen = null)
    {
        var response = await (citizen ?? _citizen).PostJsonAsync("/api/citizen/inspections", new { fileReference = reference, reason = "Ich bin Nachbar und beteiligt.", legalBasis = "Participant" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadAsync<InspectionCreated>()).InspectionId;
    }

    private async Task GrantAsync(Guid id, object? scope = null, bool download = true, DateOnly? expiresOn = null)
    {
        var body = scope ?? new { wholeFile = true };
        var json = JsonSerializer.SerializeToElement(body, ECaseApp.Json);
        var merged = json.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        merged["expiresOn"] = expiresOn ?? Today.AddDays(14);
        merged["downloadAllowed"] = download;
        (await (await _given.ClerkHa.PostJsonAsync($"/api/inspections/{id}/grant", merged)).ReadAsync<CommandResult>()).ToString();
    }

    private async Task RedactSecretAsync(Guid id, Guid documentId) =>
        await (await _given.ClerkHa.PostJsonAsync($"/api/inspections/{id}/redactions", new
        {
            documentId, documentVersion = 1, page = 1, x = 60.0, y = 692.0, width = 300.0, height = 26.0, wholePage = false, reasonCode = "ThirdPartyPersonalData",
        })).ReadAsync<RedactionCreated>();

    private async Task<IReadOnlyList<GrantedDocument>> DocumentsAsync(Guid id, HttpClient? citizen = null) =>
        await (await (citizen ?? _citizen).GetAsync($"/api/citizen/inspections/{id}/documents")).ReadAsync<List<GrantedDocument>>();

    private static string PdfText(byte[] pdf)
    {
        using var doc = PdfDocument.Open(pdf);
        return string.Join("\n", doc.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    [Fact]
    public async Task A_citizen_asks_the_clerk_grants_with_a_box_and_the_citizen_sees_the_redacted_pages_and_their_access_history()
    {
        var file = await FileAsync(_given);
        var id = await RequestAsync(file.File.Reference);

        var mine = await (await _citizen.GetAsync("/api/citizen/inspections")).ReadAsync<List<InspectionSummary>>();
        Assert.Equal(InspectionStatus.Requested, Assert.Single(mine, i => i.Id == id).Status);
        var open = await (await _given.ClerkHa.GetAsync("/api/inspections?status=Requested")).ReadAsync<List<InspectionListItem>>();
        Assert.Equal("citizen", Assert.Single(open, i => i.Inspection.Id == id).CitizenId);
        Assert.DoesNotContain(await (await _given.ClerkOa.GetAsync("/api/inspections?status=Requested")).ReadAsync<List<InspectionListItem>>(), i => i.Inspection.Id == id);

        // The clerk sees the file's documents with page sizes, places one box over the secret line and withholds page 2 of B.
        var documents = await (await _given.ClerkHa.GetAsync($"/api/inspections/{id}/documents")).ReadAsync<List<FileDocument>>();
        Assert.Equal(2, documents.Count);
        Assert.All(documents, d => Assert.Equal(new PageDimensions(595, 842), d.Pages[0]));
        var original = await _given.ClerkHa.GetAsync($"/api/inspections/{id}/documents/{file.DocumentA}/versions/1/pages/1");
        Assert.Equal("image/png", original.Content.Headers.ContentType?.MediaType);
        await RedactSecretAsync(id, file.DocumentA);
        await (await _given.ClerkHa.PostJsonAsync($"/api/inspections/{id}/redactions", new
        {
            documentId = file.DocumentB, documentVersion = 1, page = 2, x = 0, y = 0, width = 595, height = 842, wholePage = true, reasonCode = "Draft",
        })).ReadAsync<RedactionCreated>();
        await GrantAsync(id);

        var summary = await (await _citizen.GetAsync($"/api/citizen/inspections/{id}")).ReadAsync<InspectionSummary>();
        Assert.Equal(InspectionStatus.Granted, summary.Status);
        var granted = await DocumentsAsync(id);
        Assert.Equal(new[] { file.DocumentA, file.DocumentB }.Order(), granted.Select(d => d.DocumentId).Order());
        Assert.All(granted, d => Assert.Equal(2, d.Pages));
        Assert.Equal([2], granted.Single(d => d.DocumentId == file.DocumentB).WithheldPages);

        var page = await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/pages/1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("image/png", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", page.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], (await page.Content.ReadAsByteArrayAsync())[..4]);

        var copyA = await (await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/download")).Content.ReadAsByteArrayAsync();
        var textA = PdfText(copyA);
        Assert.DoesNotContain("Geheim", textA, StringComparison.Ordinal);
        Assert.DoesNotContain("Mustermann", textA, StringComparison.Ordinal);
        Assert.Contains("Schlossstrasse", textA, StringComparison.Ordinal);
        Assert.Contains("Protokoll", textA, StringComparison.Ordinal);
        var textB = PdfText(await (await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentB}/download")).Content.ReadAsByteArrayAsync());
        Assert.Contains("Mustermann", textB, StringComparison.Ordinal); // no box on B page 1: the test can tell boxes apart
        Assert.DoesNotContain("Protokoll", textB, StringComparison.Ordinal);
        Assert.Contains("zurückgehalten", textB, StringComparison.Ordinal);
        Assert.Contains("Entwurf", textB, StringComparison.Ordinal);

        // The original is untouched.
        var originalBytes = await (await _given.ClerkHa.GetAsync($"/api/cases/{file.CaseA}/documents/{file.DocumentA}/versions/1/content")).Content.ReadAsByteArrayAsync();
        Assert.Contains("Mustermann", PdfText(originalBytes), StringComparison.Ordinal);

        var history = await (await _citizen.GetAsync("/api/citizen/access-history")).ReadAsync<List<AccessRecord>>();
        var ofThis = history.Where(h => h.InspectionId == id).ToList();
        Assert.Contains(ofThis, h => h is { Page: 1, Download: false } && h.DocumentId == file.DocumentA && h.Title != "");
        Assert.Equal(2, ofThis.Count(h => h.Download));
        Assert.Equal(file.File.Reference, ofThis[0].FileReference);
        Assert.DoesNotContain(await (await _otherCitizen.GetAsync("/api/citizen/access-history")).ReadAsync<List<AccessRecord>>(), h => h.InspectionId == id);

        // Every view is an event in the file's audit trail (async projection).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<JsonElement> trail;
        do
        {
            trail = await (await _given.ClerkHa.GetAsync($"/api/files/{file.File.Id}/audit")).ReadAsync<List<JsonElement>>();
            if (trail.Count(l => l.GetProperty("what").GetString() == "inspection_document_viewed") >= 3) break;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        var views = trail.Where(l => l.GetProperty("what").GetString() == "inspection_document_viewed").ToList();
        Assert.Equal(3, views.Count);
        Assert.All(views, v => Assert.Equal("citizen", v.GetProperty("userId").GetString()));
        Assert.Contains(trail, l => l.GetProperty("what").GetString() == "inspection_granted");
        Assert.Contains(trail, l => l.GetProperty("what").GetString() == "redaction_applied");
    }

    [Fact]
    public async Task Another_citizen_gets_404_on_every_route_of_a_request_that_is_not_theirs()
    {
        var file = await FileAsync(_given);
        var id = await RequestAsync(file.File.Reference);
        await GrantAsync(id);
        Assert.Equal(HttpStatusCode.OK, (await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents")).StatusCode); // the owner can

        foreach (var path in new[]
                 {
                     $"/api/citizen/inspections/{id}", $"/api/citizen/inspections/{id}/documents",
                     $"/api/citizen/inspections/{id}/documents/{file.DocumentA}/pages/1", $"/api/citizen/inspections/{id}/documents/{file.DocumentA}/download",
                 })
            await AssertProblemAsync(await _otherCitizen.GetAsync(path), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _otherCitizen.PostJsonAsync($"/api/citizen/inspections/{id}/withdraw", new { }), HttpStatusCode.NotFound);
        Assert.DoesNotContain(await (await _otherCitizen.GetAsync("/api/citizen/inspections")).ReadAsync<List<InspectionSummary>>(), i => i.Id == id);
        Assert.Equal(InspectionStatus.Granted, (await (await _citizen.GetAsync($"/api/citizen/inspections/{id}")).ReadAsync<InspectionSummary>()).Status);
    }

    [Fact]
    public async Task Nothing_outside_the_granted_scope_is_reachable_by_any_route()
    {
        var file = await FileAsync(_given);
        var other = await FileAsync(_given);
        var id = await RequestAsync(file.File.Reference);
        await (await _given.ClerkHa.PostJsonAsync($"/api/inspections/{id}/grant-in-part", new
        {
            wholeFile = false, documentIds = new[] { file.DocumentA }, expiresOn = Today.AddDays(7), downloadAllowed = true,
            reasonCode = "ThirdPartyRights", justification = "Die Stellungnahmen Dritter bleiben ausgenommen.",
        })).ReadAsync<CommandResult>();

        var summary = await (await _citizen.GetAsync($"/api/citizen/inspections/{id}")).ReadAsync<InspectionSummary>();
        Assert.Equal((InspectionStatus.PartlyGranted, RefusalReason.ThirdPartyRights), (summary.Status, summary.RefusalReason));
        Assert.Equal([file.DocumentA], (await DocumentsAsync(id)).Select(d => d.DocumentId));
        Assert.Equal(HttpStatusCode.OK, (await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/pages/2")).StatusCode);

        // Guessing ids through the citizen routes: the other case's document, another file's document, a made-up id, a page past the end.
        foreach (var doc in new[] { file.DocumentB, other.DocumentA, Guid.NewGuid() })
        {
            await AssertProblemAsync(await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{doc}/pages/1"), HttpStatusCode.NotFound);
            await AssertProblemAsync(await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{doc}/download"), HttpStatusCode.NotFound);
        }

        await AssertProblemAsync(await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/pages/3"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/pages/0"), HttpStatusCode.NotFound);

        // …and through every staff route: originals, versions, renditions, text, cases, files, search, the clerk's inspection routes.
        foreach (var path in new[]
                 {
                     $"/api/cases/{file.CaseA}/documents/{file.DocumentA}/versions/1/content", $"/api/cases/{file.CaseB}/documents/{file.DocumentB}/versions/1/content",
                     $"/api/cases/{file.CaseA}/documents/{file.DocumentA}/versions/1/renditions/pdfa", $"/api/cases/{file.CaseA}/documents/{file.DocumentA}/versions/1/text",
                     $"/api/cases/{file.CaseA}", $"/api/cases/{file.CaseA}/documents", $"/api/files/{file.File.Id}", $"/api/files/{file.File.Id}/audit", "/api/files",
                     "/api/search?q=Mustermann", $"/api/inspections/{id}", $"/api/inspections/{id}/documents",
                     $"/api/inspections/{id}/documents/{file.DocumentB}/versions/1/pages/1",
                 })
            await AssertProblemAsync(await _citizen.GetAsync(path), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await _citizen.PostJsonAsync($"/api/inspections/{id}/grant", new { wholeFile = true, expiresOn = Today.AddDays(7) }), HttpStatusCode.Forbidden);

        // The clerk widens the grant: the view follows.
        await GrantAsync(id, new { wholeFile = false, caseIds = new[] { file.CaseA, file.CaseB } });
        Assert.Equal(2, (await DocumentsAsync(id)).Count);
    }

    [Fact]
    public async Task A_version_added_after_the_grant_is_not_shown_until_the_clerk_grants_again()
    {
        var file = await FileAsync(_given);
        var id = await RequestAsync(file.File.Reference);
        await RedactSecretAsync(id, file.DocumentA);
        await GrantAsync(id, new { wholeFile = false, documentIds = new[] { file.DocumentA } });

        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(Letter("neu"));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(part, "file", "Antrag-v2.pdf");
        Assert.Equal(HttpStatusCode.Created, (await _given.ClerkHa.PostAsync($"/api/cases/{file.CaseA}/documents/{file.DocumentA}/versions", form)).StatusCode);

        Assert.Equal(1, Assert.Single(await DocumentsAsync(id)).Version);
        var text = PdfText(await (await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/download")).Content.ReadAsByteArrayAsync());
        Assert.Contains("Kennung A", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Mustermann", text, StringComparison.Ordinal);

        await GrantAsync(id, new { wholeFile = false, documentIds = new[] { file.DocumentA } });
        Assert.Equal(2, Assert.Single(await DocumentsAsync(id)).Version);
    }

    [Fact]
    public async Task A_box_taken_back_leaves_the_copy_and_the_text_under_it_is_shown_again()
    {
        var file = await FileAsync(_given);
        var id = await RequestAsync(file.File.Reference);
        var box = await (await _given.ClerkHa.PostJsonAsync($"/api/inspections/{id}/redactions", new
        {
            documentId = file.DocumentA, documentVersion = 1, page = 1, x = 60.0, y = 692.0, width = 300.0, height = 26.0, reasonCode = "Other",
        })).ReadAsync<RedactionCreated>();
        await GrantAsync(id, new { wholeFile = false, documentIds = new[] { file.DocumentA } });
        async Task<string> CopyText() =>
            PdfText(await (await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/download")).Content.ReadAsByteArrayAsync());
        Assert.DoesNotContain("Mustermann", await CopyText(), StringComparison.Ordinal);

        await AssertProblemAsync(await _given.ClerkOa.DeleteAsync($"/api/inspections/{id}/redactions/{box.RedactionId}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _citizen.DeleteAsync($"/api/inspections/{id}/redactions/{box.RedactionId}"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await _given.ClerkHa.DeleteAsync($"/api/inspections/{id}/redactions/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "redaction-unknown");
        Assert.Equal(HttpStatusCode.OK, (await _given.ClerkHa.DeleteAsync($"/api/inspections/{id}/redactions/{box.RedactionId}")).StatusCode);
        Assert.Empty((await (await _given.ClerkHa.GetAsync($"/api/inspections/{id}")).ReadAsync<InspectionDetails>()).Redactions);
        Assert.Contains("Mustermann", await CopyText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sweep_deletes_copies_no_open_inspection_shows_and_keeps_those_still_shown()
    {
        var file = await FileAsync(_given);
        var sha = await ShaOfAsync(file.CaseA, file.DocumentA);
        var boxed = await RequestAsync(file.File.Reference);
        var sameBoxes = await RequestAsync(file.File.Reference);
        var unboxed = await RequestAsync(file.File.Reference, _otherCitizen);
        await RedactSecretAsync(boxed, file.DocumentA);
        await RedactSecretAsync(sameBoxes, file.DocumentA);
        foreach (var id in new[] { boxed, sameBoxes, unboxed }) await GrantAsync(id);
        async Task ViewAsync(Guid id, HttpClient citizen)
        {
            foreach (var page in new[] { 1, 2 })
                Assert.Equal(HttpStatusCode.OK, (await citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/pages/{page}")).StatusCode);
        }

        await ViewAsync(boxed, _citizen);
        await ViewAsync(sameBoxes, _citizen);
        await ViewAsync(unboxed, _otherCitizen);
        var first = CopiesOf(app, sha);
        Assert.Equal(2, first.Redacted.Length); // equal boxes and title: one copy for both inspections
        Assert.Equal(4, first.Pages.Length);

        // Another box in one inspection: its next view makes a copy of its own; the old one is still shown by the other.
        await (await _given.ClerkHa.PostJsonAsync($"/api/inspections/{boxed}/redactions", new
        {
            documentId = file.DocumentA, documentVersion = 1, page = 2, x = 60.0, y = 740.0, width = 300.0, height = 26.0, reasonCode = "Other",
        })).ReadAsync<RedactionCreated>();
        await ViewAsync(boxed, _citizen);
        var sweep = app.Services.GetRequiredService<InspectionExpiry>();
        await sweep.SweepCopiesAsync(TimeSpan.Zero, default);
        var second = CopiesOf(app, sha);
        Assert.Equal(3, second.Redacted.Length);
        Assert.Superset(first.Redacted.ToHashSet(), second.Redacted.ToHashSet());

        // The other inspection ends: nothing shows the old copy any more, so it and its page images go; the rest stay.
        (await (await _citizen.PostJsonAsync($"/api/citizen/inspections/{sameBoxes}/withdraw", new { reason = "Erledigt" })).ReadAsync<CommandResult>()).ToString();
        Assert.True(await sweep.SweepCopiesAsync(TimeSpan.Zero, default) >= 3); // other tests' finished inspections may add to it
        var third = CopiesOf(app, sha);
        var gone = Assert.Single(second.Redacted.Except(third.Redacted));
        Assert.Equal(2, third.Redacted.Length);
        Assert.Equal(4, third.Pages.Length);
        Assert.DoesNotContain(third.Pages, p => p.StartsWith(gone[..^4], StringComparison.Ordinal));
        foreach (var id in new[] { boxed, unboxed })
            Assert.Equal(HttpStatusCode.OK, (await (id == boxed ? _citizen : _otherCitizen).GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/download")).StatusCode);
        Assert.Equal(2, CopiesOf(app, sha).Redacted.Length); // served from the copies that stayed
    }

    /// <summary>The redacted copies (file names) and the page images of them made from one source.</summary>
    internal static (string[] Redacted, string[] Pages) CopiesOf(ECaseApp app, string sha)
    {
        var root = InspectionCopies.Directory(
            app.Services.GetRequiredService<IOptions<InspectionOptions>>().Value, app.Services.GetRequiredService<IOptions<ContentStoreOptions>>().Value);
        string[] In(string folder, int minParts) => System.IO.Directory.Exists(System.IO.Path.Combine(root, folder))
            ? [.. System.IO.Directory.EnumerateFiles(System.IO.Path.Combine(root, folder), $"{sha}-*").Select(p => System.IO.Path.GetFileName(p))
                .Where(n => n.Split('-').Length >= minParts && n.Split('-')[1].Split('.')[0].Length == 64 && !n.EndsWith(".tmp", StringComparison.Ordinal)).Order()]
            : [];
        return (In("redacted", 2), In("pages", 4));
    }

    /// <summary>The content hash of a document's first version.</summary>
    internal static async Task<string> ShaOfAsync(Given given, Guid caseId, Guid documentId)
    {
        var details = await (await given.ClerkHa.GetAsync($"/api/cases/{caseId}")).ReadAsync<JsonElement>();
        foreach (var d in details.GetProperty("case").GetProperty("documents").EnumerateArray())
            if (d.GetProperty("id").GetGuid() == documentId) return d.GetProperty("versions")[0].GetProperty("sha256").GetString()!;
        throw new InvalidOperationException($"Document {documentId} is not in case {caseId}.");
    }

    private Task<string> ShaOfAsync(Guid caseId, Guid documentId) => ShaOfAsync(_given, caseId, documentId);

    [Fact]
    public async Task After_withdrawal_every_document_route_answers_404_and_the_status_says_why()
    {
        var file = await FileAsync(_given);
        var id = await RequestAsync(file.File.Reference);
        await GrantAsync(id);
        Assert.Equal(HttpStatusCode.OK, (await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/pages/1")).StatusCode);

        (await (await _citizen.PostJsonAsync($"/api/citizen/inspections/{id}/withdraw", new { reason = "Erledigt" })).ReadAsync<CommandResult>()).ToString();
        foreach (var path in DocumentRoutes(id, file.DocumentA))
            await AssertProblemAsync(await _citizen.GetAsync(path), HttpStatusCode.NotFound, "inspection-not-open");
        Assert.Equal(InspectionStatus.Withdrawn, (await (await _citizen.GetAsync($"/api/citizen/inspections/{id}")).ReadAsync<InspectionSummary>()).Status);
        await AssertProblemAsync(await _given.ClerkHa.PostJsonAsync($"/api/inspections/{id}/grant", new { wholeFile = true, expiresOn = Today.AddDays(3) }), HttpStatusCode.Conflict, "inspection-not-pending");
    }

    [Fact]
    public async Task The_authority_can_revoke_a_grant_and_refusals_reach_the_citizen_with_their_reason()
    {
        var file = await FileAsync(_given);
        var granted = await RequestAsync(file.File.Reference);
        await GrantAsync(granted);
        (await (await _given.ClerkHa.PostJsonAsync($"/api/inspections/{granted}/withdraw", new { reason = "Verfahren wieder aufgenommen" })).ReadAsync<CommandResult>()).ToString();
        foreach (var path in DocumentRoutes(granted, file.DocumentA)) await AssertProblemAsync(await _citizen.GetAsync(path), HttpStatusCode.NotFound);

        var refused = await RequestAsync(file.File.Reference);
        await AssertProblemAsync(await _given.ClerkOa.PostJsonAsync($"/api/inspections/{refused}/refuse", new { reasonCode = "ProcedureOngoing", justification = "x" }), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _given.ClerkHa.PostJsonAsync($"/api/inspections/{refused}/refuse", new { reasonCode = "ProcedureOngoing", justification = " " }), HttpStatusCode.BadRequest, "inspection-justification-required");
        (await (await _given.ClerkHa.PostJsonAsync($"/api/inspections/{refused}/refuse", new { reasonCode = "ProcedureOngoing", justification = "Das Verfahren läuft noch." }))
            .ReadAsync<CommandResult>()).ToString();
        var summary = await (await _citizen.GetAsync($"/api/citizen/inspections/{refused}")).ReadAsync<InspectionSummary>();
        Assert.Equal((InspectionStatus.Refused, RefusalReason.ProcedureOngoing, "Das Verfahren läuft noch."), (summary.Status, summary.RefusalReason, summary.Justification));
        foreach (var path in DocumentRoutes(refused, file.DocumentA)) await AssertProblemAsync(await _citizen.GetAsync(path), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_clerk_of_another_org_unit_can_neither_see_nor_decide_nor_redact()
    {
        var file = await FileAsync(_given);
        var id = await RequestAsync(file.File.Reference);
        await AssertProblemAsync(await _given.ClerkOa.GetAsync($"/api/inspections/{id}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _given.ClerkOa.GetAsync($"/api/inspections/{id}/documents"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _given.ClerkOa.GetAsync($"/api/inspections/{id}/documents/{file.DocumentA}/versions/1/pages/1"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _given.ClerkOa.PostJsonAsync($"/api/inspections/{id}/grant", new { wholeFile = true, expiresOn = Today.AddDays(3) }), HttpStatusCode.NotFound);
        await AssertProblemAsync(await _given.ClerkOa.PostJsonAsync($"/api/inspections/{id}/redactions", new
        {
            documentId = file.DocumentA, documentVersion = 1, page = 1, x = 1, y = 1, width = 10, height = 10, wholePage = false, reasonCode = "Other",
        }), HttpStatusCode.NotFound);
        Assert.Equal(InspectionStatus.Requested, (await (await _citizen.GetAsync($"/api/citizen/inspections/{id}")).ReadAsync<InspectionSummary>()).Status);
        Assert.Equal(HttpStatusCode.OK, (await _given.Registrar.GetAsync($"/api/inspections/{id}")).StatusCode); // registrars see every org unit
    }

    [Fact]
    public async Task Bad_requests_and_decisions_are_refused_with_a_named_problem_and_change_nothing()
    {
        var file = await FileAsync(_given);
        await AssertProblemAsync(await _citizen.PostJsonAsync("/api/citizen/inspections", new { fileReference = "HA-99.99-9999/2099", reason = "x", legalBasis = "Participant" }),
            HttpStatusCode.BadRequest, "inspection-file-unknown");
        await AssertProblemAsync(await _citizen.PostJsonAsync("/api/citizen/inspections", new { fileReference = file.File.Reference, reason = "", legalBasis = "Participant" }),
            HttpStatusCode.BadRequest, "inspection-reason-required");
        await AssertProblemAsync(await _citizen.PostJsonAsync("/api/citizen/inspections", new { fileReference = file.File.Reference, reason = "x" }), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await _citizen.PostJsonAsync("/api/citizen/inspections", new { fileReference = file.File.Reference, reason = "x", legalBasis = "Neugier" }), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await _given.ClerkHa.PostJsonAsync("/api/citizen/inspections", new { fileReference = file.File.Reference, reason = "x", legalBasis = "Participant" }),
            HttpStatusCode.Forbidden);

        var id = await RequestAsync(file.File.Reference);
        await app.WaitForJobsAsync(); // the letters' text extraction appends to their cases meanwhile
        var before = await app.EventCountAsync();
        async Task Refused(string path, object body, HttpStatusCode status, string? code = null) =>
            await AssertProblemAsync(await _given.ClerkHa.PostJsonAsync($"/api/inspections/{id}/{path}", body), status, code);

        await Refused("grant", new { wholeFile = true, expiresOn = Today.AddDays(-1) }, HttpStatusCode.BadRequest, "inspection-expiry-invalid");
        await Refused("grant", new { wholeFile = false, expiresOn = Today.AddDays(1) }, HttpStatusCode.BadRequest, "inspection-scope-empty");
        await Refused("grant", new { wholeFile = false, documentIds = new[] { Guid.NewGuid() }, expiresOn = Today.AddDays(1) }, HttpStatusCode.BadRequest, "inspection-scope-unknown");
        await Refused("grant", new { wholeFile = true }, HttpStatusCode.BadRequest);
        await Refused("grant-in-part", new { wholeFile = true, expiresOn = Today.AddDays(1), reasonCode = "Other" }, HttpStatusCode.BadRequest, "inspection-justification-required");
        await Refused("refuse", new { reasonCode = "Laune", justification = "x" }, HttpStatusCode.BadRequest);
        await Refused("redactions", new { documentId = file.DocumentA, documentVersion = 1, page = 3, x = 1, y = 1, width = 10, height = 10, reasonCode = "Other" },
            HttpStatusCode.BadRequest, "redaction-page-invalid");
        await Refused("redactions", new { documentId = file.DocumentA, documentVersion = 1, page = 1, x = 1, y = 1, width = -10, height = 10, reasonCode = "Other" },
            HttpStatusCode.BadRequest, "redaction-area-invalid");
        await Refused("redactions", new { documentId = file.DocumentA, documentVersion = 1, page = 1, x = 1, y = 1, width = 1e9, height = 10, reasonCode = "Other" },
            HttpStatusCode.BadRequest, "redaction-area-invalid");
        await Refused("redactions", new { documentId = file.DocumentA, documentVersion = 7, page = 1, x = 1, y = 1, width = 10, height = 10, reasonCode = "Other" }, HttpStatusCode.NotFound);
        await Refused("redactions", new { documentId = file.DocumentA, documentVersion = 1, page = 1, x = 1, y = 1, width = 10, height = 10 }, HttpStatusCode.BadRequest);
        Assert.Equal(before, await app.EventCountAsync());

        await GrantAsync(id, download: false);
        await AssertProblemAsync(await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/download"), HttpStatusCode.Forbidden, "inspection-download-not-allowed");
        Assert.Equal(HttpStatusCode.OK, (await _citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/pages/1")).StatusCode);
    }

    [Fact]
    public async Task Destroying_the_file_closes_its_open_inspections_and_deletes_the_copies_made_for_them()
    {
        // A plan unit whose files are destroyed without the archive (two-stage disposal), a file with one letter in it.
        var plan = $"92.{Random.Shared.Next(1, 9999)}";
        (await _given.Registrar.PostJsonAsync("/api/file-plan", new { code = plan, title = "Nachbarschaftsanfragen", retentionYears = 1, disposal = "Destroy" }))
            .EnsureSuccessStatusCode();
        var file = await _given.FileAsync(planUnit: plan, title: "Lärmschutz Hofweg 3");
        var c = await _given.CaseAsync(file.Id, title: "Beschwerde");
        var letter = Letter($"vernichtet-{Guid.NewGuid():N}");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(letter));
        var documentId = await SubmitAsync(_given, c.Id, "Beschwerde.pdf", letter);

        var granted = await RequestAsync(file.Reference);
        await RedactSecretAsync(granted, documentId);
        await GrantAsync(granted);
        var pending = await RequestAsync(file.Reference, _otherCitizen);
        Assert.Equal(HttpStatusCode.OK, (await _citizen.GetAsync($"/api/citizen/inspections/{granted}/documents/{documentId}/pages/1")).StatusCode);
        var copies = InspectionCopies.Directory(
            app.Services.GetRequiredService<IOptions<InspectionOptions>>().Value, app.Services.GetRequiredService<IOptions<ContentStoreOptions>>().Value);
        string[] Derived() => System.IO.Directory.Exists(copies)
            ? [.. System.IO.Directory.EnumerateFiles(copies, sha + "*", System.IO.SearchOption.AllDirectories)]
            : [];
        Assert.Contains(Derived(), p => p.Contains("/sources/", StringComparison.Ordinal));
        Assert.Contains(Derived(), p => p.Contains("/redacted/", StringComparison.Ordinal));
        Assert.Contains(Derived(), p => p.Contains("/pages/", StringComparison.Ordinal));

        (await _given.ClerkHa.PostJsonAsync($"/api/cases/{c.Id}/close", new { })).EnsureSuccessStatusCode();
        (await _given.ClerkHa.PostJsonAsync($"/api/files/{file.Id}/close", new { })).EnsureSuccessStatusCode();
        (await _given.Registrar.PutAsync($"/api/files/{file.Id}/retention", new StringContent(
            JsonSerializer.Serialize(new { endsOn = Today.AddDays(-1), reason = "abgelaufen" }), System.Text.Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();
        var started = await (await _given.Registrar.PostJsonAsync("/api/disposal/processes", new { fileIds = new[] { file.Id }, twoStage = true }))
            .ReadAsync<JsonElement>();
        (await _given.Registrar.PostJsonAsync($"/api/disposal/processes/{started.GetProperty("processId").GetGuid()}/destroy", new { })).EnsureSuccessStatusCode();
        await app.WaitForJobsAsync();

        // Both requests are closed; nothing of the file is shown any more, and the copies made for the citizen are gone.
        Assert.Equal(InspectionStatus.Closed, (await (await _citizen.GetAsync($"/api/citizen/inspections/{granted}")).ReadAsync<InspectionSummary>()).Status);
        Assert.Equal(InspectionStatus.Closed, (await (await _otherCitizen.GetAsync($"/api/citizen/inspections/{pending}")).ReadAsync<InspectionSummary>()).Status);
        foreach (var path in DocumentRoutes(granted, documentId))
            await AssertProblemAsync(await _citizen.GetAsync(path), HttpStatusCode.NotFound);
        var grantAfter = await _given.ClerkHa.PostJsonAsync($"/api/inspections/{pending}/grant", new { wholeFile = true, expiresOn = Today.AddDays(7), downloadAllowed = false });
        Assert.False(grantAfter.IsSuccessStatusCode);
        Assert.Equal(InspectionStatus.Closed, (await (await _otherCitizen.GetAsync($"/api/citizen/inspections/{pending}")).ReadAsync<InspectionSummary>()).Status);
        Assert.True(Derived().Length == 0, "left: " + string.Join(", ", Derived()));
        // The grant named the letter's hash; that must not keep the destroyed letter in the store.
        Assert.False(System.IO.File.Exists(System.IO.Path.Combine(app.ContentRoot, sha[..2], sha[2..4], sha)));
    }

    private static Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? code = null) =>
        Problem.AssertAsync(response, status, code);

    private static string[] DocumentRoutes(Guid id, Guid documentId) =>
    [
        $"/api/citizen/inspections/{id}/documents", $"/api/citizen/inspections/{id}/documents/{documentId}/pages/1",
        $"/api/citizen/inspections/{id}/documents/{documentId}/download",
    ];
}

public static class Problem
{
    public static async Task AssertAsync(HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (code is not null) Assert.Contains(code, body, StringComparison.Ordinal);
    }
}
