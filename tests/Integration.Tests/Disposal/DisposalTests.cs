using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using ECase.Application.Common;
using ECase.Application.Disposal;

namespace ECase.Integration.Tests.Disposal;

/// <summary>Destruction deletes content, so disposal tests get their own host and schema.</summary>
[CollectionDefinition(Name)]
public sealed class DisposalCollection : ICollectionFixture<ECaseApp>
{
    public const string Name = "disposal";
}

/// <summary>A closed file whose retention has ended, with its cases and the text of each case's letter.</summary>
public sealed record DueFileInfo(Guid Id, string Reference, IReadOnlyList<Guid> CaseIds);

[Collection(DisposalCollection.Name)]
public sealed class DisposalTests(ECaseApp app)
{
    private readonly Given _given = new(app);
    private readonly HttpClient _archivist = app.ClientFor("archivist");

    private HttpClient Registrar => _given.Registrar;

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>A file with cases and a letter each, closed, whose retention ended yesterday (fixed end date by the registrar).</summary>
    public static async Task<DueFileInfo> DueFileAsync(ECaseApp app, Given given, int cases = 1, string? plan = null)
    {
        var file = await given.FileAsync(planUnit: plan);
        var caseIds = new List<Guid>();
        for (var i = 0; i < cases; i++)
        {
            var c = await given.CaseAsync(file.Id, title: $"Vorgang {i + 1}");
            await given.SubmissionAsync(c.Id, text: $"Brief {Guid.NewGuid():N}");
            (await given.ClerkHa.PostJsonAsync($"/api/cases/{c.Id}/close", new { })).EnsureSuccessStatusCode();
            caseIds.Add(c.Id);
        }

        (await given.ClerkHa.PostJsonAsync($"/api/files/{file.Id}/close", new { })).EnsureSuccessStatusCode();
        (await given.Registrar.PutAsync($"/api/files/{file.Id}/retention", JsonContent(new { endsOn = Today.AddDays(-1), reason = "Altakte, Frist abgelaufen" })))
            .EnsureSuccessStatusCode();
        await app.WaitForJobsAsync();
        return new DueFileInfo(file.Id, file.Reference, caseIds);
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body, ECaseApp.Json), Encoding.UTF8, "application/json");

    private async Task<JsonElement> FileAsync(Guid id) => (await (await Registrar.GetAsync($"/api/files/{id}")).ReadAsync<JsonElement>()).GetProperty("file");

    private async Task<Guid> OfferAsync(params DueFileInfo[] files)
    {
        var started = await (await Registrar.PostJsonAsync("/api/disposal/processes", new { fileIds = files.Select(f => f.Id) })).ReadAsync<DisposalStarted>();
        return started.ProcessId;
    }

    [Fact]
    public async Task Closing_fixes_the_retention_end_from_the_plan_unit_and_reopening_clears_it()
    {
        var file = await _given.FileAsync();
        (await _given.ClerkHa.PostJsonAsync($"/api/files/{file.Id}/close", new { })).EnsureSuccessStatusCode();

        var closed = await FileAsync(file.Id);
        // Given.PlanUnitAsync makes units with 10 years; counted from the end of the closing year.
        Assert.Equal(new DateOnly(DateTime.UtcNow.Year + 10, 12, 31).ToString("yyyy-MM-dd", null), closed.GetProperty("retentionEndsOn").GetString());
        Assert.Equal("Archive", closed.GetProperty("disposalProposal").GetString());

        (await _given.ClerkHa.PostJsonAsync($"/api/files/{file.Id}/reopen", new { reason = "Nachtrag" })).EnsureSuccessStatusCode();
        Assert.Equal(JsonValueKind.Null, (await FileAsync(file.Id)).GetProperty("retentionEndsOn").ValueKind);
    }

    [Fact]
    public async Task Only_a_registrar_places_holds_and_a_held_file_is_listed_apart_and_cannot_be_offered()
    {
        var due = await DueFileAsync(app, _given);
        var list = await (await Registrar.GetAsync("/api/disposal/due")).ReadAsync<DueForDisposal>();
        Assert.Contains(list.Due, f => f.Id == due.Id);

        await _given.ClerkHa.PostJsonAsync($"/api/files/{due.Id}/legal-holds", new { reason = "Klage" }).ContinueWith(t => Assert.Equal(HttpStatusCode.Forbidden, t.Result.StatusCode));
        var hold = await (await Registrar.PostJsonAsync($"/api/files/{due.Id}/legal-holds", new { reason = "Klage VG Musterstadt 1 K 23/26" })).ReadAsync<HoldPlaced>();

        list = await (await Registrar.GetAsync("/api/disposal/due")).ReadAsync<DueForDisposal>();
        Assert.DoesNotContain(list.Due, f => f.Id == due.Id);
        Assert.Equal(["Klage VG Musterstadt 1 K 23/26"], Assert.Single(list.OnHold, f => f.Id == due.Id).LegalHolds);

        var refused = await (await Registrar.PostJsonAsync("/api/disposal/processes", new { fileIds = new[] { due.Id } })).ProblemAsync(409);
        Assert.Equal("disposal-files-not-due", refused.Code());
        Assert.Contains("file-on-legal-hold", refused.GetProperty("errors").GetProperty(due.Reference)[0].GetString(), StringComparison.Ordinal);

        (await Registrar.PostJsonAsync($"/api/files/{due.Id}/legal-holds/{hold.HoldId}/lift", new { reason = "Verfahren beendet" })).EnsureSuccessStatusCode();
        list = await (await Registrar.GetAsync("/api/disposal/due")).ReadAsync<DueForDisposal>();
        Assert.Contains(list.Due, f => f.Id == due.Id);
    }

    [Fact]
    public async Task A_file_whose_retention_has_not_ended_is_not_due_and_cannot_be_offered()
    {
        var file = await _given.FileAsync();
        (await _given.ClerkHa.PostJsonAsync($"/api/files/{file.Id}/close", new { })).EnsureSuccessStatusCode();
        var list = await (await Registrar.GetAsync("/api/disposal/due")).ReadAsync<DueForDisposal>();
        Assert.DoesNotContain(list.Due.Concat(list.OnHold), f => f.Id == file.Id);
        var refused = await (await Registrar.PostJsonAsync("/api/disposal/processes", new { fileIds = new[] { file.Id } })).ProblemAsync(409);
        Assert.Contains("retention-not-ended", refused.GetProperty("errors").GetProperty(file.Reference)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clerks_and_citizens_have_no_part_in_disposal()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await _given.ClerkHa.GetAsync("/api/disposal/processes")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientFor("citizen").GetAsync("/api/disposal/due")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _archivist.GetAsync("/api/disposal/due")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _archivist.GetAsync($"/api/disposal/processes/{Guid.NewGuid()}")).StatusCode);
    }

    public static TheoryData<string, string> BadAppraisals => new()
    {
        { "not-well-formed", "xml-not-well-formed" },
        { "schema-invalid", "xdomea-schema-invalid" },
        { "unknown-object", "xdomea-object-not-offered" },
        { "doctype", "xml-doctype-refused" },
        { "external-entity", "xml-doctype-refused" },
        { "zip-bomb", "zip-bomb" },
        { "other-process", "xdomea-process-mismatch" },
        { "incomplete", "xdomea-appraisal-incomplete" },
        { "wrong-type", "xdomea-message-type-unexpected" },
    };

    [Theory]
    [MemberData(nameof(BadAppraisals))]
    public async Task A_bad_appraisal_is_refused_by_name_and_changes_nothing(string kind, string code)
    {
        var a = await DueFileInfoPairAsync();
        var process = await OfferAsync(a.First, a.Second);
        var events = await app.EventCountAsync();
        var blobs = app.StoredBlobs().Length;

        var good = ArchiveSide.Appraisal(process, (a.First.Id, "A"), (a.Second.Id, "V"));
        HttpContent body = kind switch
        {
            "not-well-formed" => ArchiveSide.Xml(good[..^40]),
            "schema-invalid" => ArchiveSide.Xml(good.Replace("<xdomea:ID>", "<xdomea:Kennung>", StringComparison.Ordinal).Replace("</xdomea:ID>", "</xdomea:Kennung>", StringComparison.Ordinal)),
            "unknown-object" => ArchiveSide.Xml(ArchiveSide.Appraisal(process, (a.First.Id, "A"), (a.Second.Id, "V"), (Guid.NewGuid(), "A"))),
            "doctype" => ArchiveSide.Xml("""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>"""),
            "external-entity" => ArchiveSide.Xml(good.Replace("<xdomea:Aussonderung.Bewertungsverzeichnis.0502 ", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<xdomea:Aussonderung.Bewertungsverzeichnis.0502 ", StringComparison.Ordinal)
                .Replace("<xdomea:Name>Stadtarchiv Musterstadt</xdomea:Name>", "<xdomea:Name>&e;</xdomea:Name>", StringComparison.Ordinal)),
            "zip-bomb" => ArchiveSide.Zip(($"{process}_Aussonderung.Bewertungsverzeichnis.0502.xml", Encoding.UTF8.GetBytes(good + new string(' ', 50_000_000)), CompressionLevel.SmallestSize)),
            "other-process" => ArchiveSide.Xml(ArchiveSide.Appraisal(Guid.NewGuid(), (a.First.Id, "A"), (a.Second.Id, "V"))),
            "incomplete" => ArchiveSide.Xml(ArchiveSide.Appraisal(process, (a.First.Id, "A"))),
            "wrong-type" => ArchiveSide.Xml(ArchiveSide.Receipt(process, "0504")),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        var response = await _archivist.PostAsync($"/api/disposal/processes/{process}/appraisal", body);
        var problem = await response.ProblemAsync(400);
        Assert.Equal(code, problem.Code());
        Assert.Equal(events, await app.EventCountAsync());
        Assert.Equal(blobs, app.StoredBlobs().Length);
        var state = await (await _archivist.GetAsync($"/api/disposal/processes/{process}")).ReadAsync<JsonElement>();
        Assert.Equal("Offered", state.GetProperty("stage").GetString());
    }

    private async Task<(DueFileInfo First, DueFileInfo Second)> DueFileInfoPairAsync() => (await DueFileAsync(app, _given), await DueFileAsync(app, _given));
}
