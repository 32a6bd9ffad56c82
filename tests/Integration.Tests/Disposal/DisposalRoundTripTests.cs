using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using ECase.Api.Demo;
using ECase.Application.Disposal;
using ECase.Domain.Files;
using ECase.Infrastructure.Xdomea;
using Marten;
using Xunit.Abstractions;

namespace ECase.Integration.Tests.Disposal;

/// <summary>
/// The whole disposal flow against the real stack: due files → 0501 → the archive's 0502 (some A, some V) → 0505 →
/// 0503 export job → 0507/0506 → destruction with certificate, a legal hold keeping one file back.
/// </summary>
[Collection(DisposalCollection.Name)]
public sealed class DisposalRoundTripTests(ECaseApp app, ITestOutputHelper output)
{
    private readonly Given _given = new(app);
    private readonly HttpClient _archivist = app.ClientFor("archivist");

    private HttpClient Registrar => _given.Registrar;

    private async Task<(Guid CaseId, Guid DocumentId, string Sha256)> DocumentAsync(Guid fileId, string name, string mediaType, byte[] bytes)
    {
        var c = await _given.CaseAsync(fileId, title: "Vorgang " + name);
        var submitted = await (await _given.ClerkHa.PostAsync($"/api/cases/{c.Id}/submissions", Given.Submission("Eingang " + name, (name, mediaType, bytes))))
            .ReadAsync<JsonElement>();
        var documentId = submitted.GetProperty("documentIds")[0].GetGuid();
        await app.WaitForJobsAsync();
        (await _given.ClerkHa.PostJsonAsync($"/api/cases/{c.Id}/close", new { })).EnsureSuccessStatusCode();
        return (c.Id, documentId, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private async Task<Guid> DueFileAsync(params (string Name, string MediaType, byte[] Bytes)[] documents)
    {
        var file = await _given.FileAsync(title: "Akte " + string.Join(", ", documents.Select(d => d.Name)));
        foreach (var d in documents) await DocumentAsync(file.Id, d.Name, d.MediaType, d.Bytes);
        (await _given.ClerkHa.PostJsonAsync($"/api/files/{file.Id}/close", new { })).EnsureSuccessStatusCode();
        (await Registrar.PutAsync($"/api/files/{file.Id}/retention", new StringContent(
            JsonSerializer.Serialize(new { endsOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1), reason = "abgelaufen" }), Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();
        return file.Id;
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    private async Task<byte[]> MessageAsync(HttpClient client, Guid process, string code)
    {
        var response = await client.GetAsync($"/api/disposal/processes/{process}/messages/{code}");
        Assert.True(response.IsSuccessStatusCode, $"{code}: {response.StatusCode}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static void AssertSchemaValid(byte[] xml, string messageType)
    {
        // CI validates every produced message once more with xmllint (.ci/xmllint-xdomea).
        if (Environment.GetEnvironmentVariable("ECASE_XDOMEA_OUT") is { Length: > 0 } keep)
            System.IO.File.WriteAllBytes(System.IO.Path.Combine(keep, $"{messageType}-{Guid.NewGuid():N}.xml"), xml);
        var result = XdomeaSchemas.Read(new System.IO.MemoryStream(xml));
        Assert.True(result.Ok, string.Join("\n", result.Problems.Select(p => $"{p.Line}: {p.Message}")));
        Assert.Equal(messageType, result.MessageType);
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-{Guid.NewGuid():N}.xml");
        System.IO.File.WriteAllBytes(path, xml);
        try
        {
            var schema = System.IO.Path.Combine(XdomeaSchemas.Folder, XdomeaSchemas.VersionNumber(result.Version!.Value), "xdomea-Nachrichten-AussonderungDurchfuehren.xsd");
            var (exit, lint) = Tool.RunAsync("xmllint", "--noout", "--schema", schema, path).GetAwaiter().GetResult();
            Assert.True(exit == 0, lint);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    private async Task<ExportJob> WaitForJobAsync(Guid jobId)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            var job = await (await _archivist.GetAsync($"/api/export-jobs/{jobId}")).ReadAsync<ExportJob>();
            if (job.Finished) return job;
            if (DateTime.UtcNow - started > TimeSpan.FromMinutes(3)) throw new TimeoutException($"export job {job.Status} {job.Phase} {job.ObjectsDone}/{job.ObjectsTotal}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Due_files_go_through_offer_appraisal_transfer_confirmation_and_destruction()
    {
        // F1: archived (A), with a born-digital PDF (rendition made on upload) and a text note (rendition made by the export);
        //     its second case is appraised V. F2: destroyed (V). F3: archived, but a legal hold arrives before destruction.
        var f1 = await DueFileAsync(("Bescheid.pdf", "application/pdf", DemoPdf.Create("Baugenehmigung Musterweg 1")), ("Vermerk.txt", "text/plain", Text("Aktenvermerk: Ortstermin an der Straße, Kosten 120 €.")));
        var f2 = await DueFileAsync(("Antrag.pdf", "application/pdf", DemoPdf.Create("Antrag auf Sondernutzung")));
        var f3 = await DueFileAsync(("Notiz.txt", "text/plain", Text("Notiz zur Klage")));
        var f1Cases = (await (await Registrar.GetAsync($"/api/files/{f1}")).ReadAsync<JsonElement>()).GetProperty("cases").EnumerateArray()
            .Select(c => (Id: c.GetProperty("id").GetGuid(), Title: c.GetProperty("title").GetString()!)).ToList();
        var (kept, dropped) = (f1Cases.Single(c => c.Title.Contains("Bescheid", StringComparison.Ordinal)).Id, f1Cases.Single(c => c.Title.Contains("Vermerk", StringComparison.Ordinal)).Id);
        var blobsOf = new Dictionary<Guid, string[]>();
        await using (var query = app.Store.QuerySession())
        {
            foreach (var f in new[] { f1, f2, f3 })
            {
                var caseIds = (await (await Registrar.GetAsync($"/api/files/{f}")).ReadAsync<JsonElement>()).GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("id").GetGuid());
                var hashes = new List<string>();
                foreach (var id in caseIds)
                    foreach (var e in await query.Events.FetchStreamAsync(id))
                        hashes.AddRange(ECase.Application.Content.EventContent.Refs(JsonSerializer.SerializeToElement(e.Data, e.Data.GetType())).Select(r => r.Sha256));
                blobsOf[f] = [.. hashes.Distinct()];
                Assert.All(blobsOf[f], h => Assert.True(System.IO.File.Exists(BlobPath(h)), h));
            }
        }

        // Offer (0501), schema-valid; the archive's receipt (0504).
        var process = (await (await Registrar.PostJsonAsync("/api/disposal/processes", new { fileIds = new[] { f1, f2, f3 } })).ReadAsync<DisposalStarted>()).ProcessId;
        AssertSchemaValid(await MessageAsync(_archivist, process, "0501"), "Aussonderung.Anbieteverzeichnis.0501");
        (await _archivist.PostAsync($"/api/disposal/processes/{process}/offer-receipt", ArchiveSide.Xml(ArchiveSide.Receipt(process, "0504")))).EnsureSuccessStatusCode();
        var due = await (await Registrar.GetAsync("/api/disposal/due")).ReadAsync<DueForDisposal>();
        Assert.DoesNotContain(due.Due, d => d.Id == f1 || d.Id == f2 || d.Id == f3);

        // Appraisal (0502) as the archive writes it; ECase answers with 0505.
        var appraised = await (await _archivist.PostAsync($"/api/disposal/processes/{process}/appraisal",
            ArchiveSide.Xml(ArchiveSide.Appraisal(process, (f1, "A"), (dropped, "V"), (f2, "V"), (f3, "A"))))).ReadAsync<ArchiveReplyRecorded>();
        Assert.Equal(ECase.Domain.Disposal.DisposalStage.Appraised, appraised.Stage);
        AssertSchemaValid(await MessageAsync(_archivist, process, "0505"), "Aussonderung.BewertungEmpfangBestaetigen.0505");

        var hold = await (await Registrar.PostJsonAsync($"/api/files/{f3}/legal-holds", new { reason = "Klage VG Musterstadt 4 K 12/26" })).ReadAsync<HoldPlaced>();
        Assert.NotEqual(Guid.Empty, hold.HoldId);

        // Transfer (0503) as an export job: progress, then the container.
        var accepted = await _archivist.PostJsonAsync($"/api/disposal/processes/{process}/transfer", new { });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var job = await WaitForJobAsync((await accepted.ReadAsync<ExportJob>()).Id);
        Assert.True(job.Status == ExportJobStatus.Completed, $"{job.Status}: {job.Error}");
        Assert.Equal(job.ObjectsTotal, job.ObjectsDone);
        Assert.True(job.BytesDone > 0 && job.BytesDone == job.BytesTotal, $"{job.BytesDone}/{job.BytesTotal}");
        output.WriteLine($"warnings: {string.Join(" | ", job.Warnings)}");

        var zipBytes = await (await _archivist.GetAsync($"/api/export-jobs/{job.Id}/download")).Content.ReadAsByteArrayAsync();
        Assert.Equal(job.Sha256, Convert.ToHexStringLower(SHA256.HashData(zipBytes)));
        using (var zip = new ZipArchive(new System.IO.MemoryStream(zipBytes)))
        {
            var entries = zip.Entries.ToDictionary(e => e.FullName, e => { using var s = e.Open(); using var m = new System.IO.MemoryStream(); s.CopyTo(m); return m.ToArray(); });
            output.WriteLine(string.Join("\n", entries.Keys));
            var messageName = $"{process}_Aussonderung.Aussonderung.0503.xml";
            AssertSchemaValid(entries[messageName], "Aussonderung.Aussonderung.0503");
            var message = XDocument.Load(new System.IO.MemoryStream(entries[messageName]));
            var x = message.Root!.Name.Namespace;

            // Only A objects: F1 and F3 with F1's kept case; not F2, not the V case.
            var ids = message.Descendants(x + "Identifikation").Select(i => Guid.Parse(i.Element(x + "ID")!.Value)).ToHashSet();
            Assert.Contains(f1, ids);
            Assert.Contains(f3, ids);
            Assert.Contains(kept, ids);
            Assert.DoesNotContain(f2, ids);
            Assert.DoesNotContain(dropped, ids);
            Assert.NotEmpty(message.Descendants(x + "HistorienProtokollInformation"));
            // The retention end is the one fixed for the file (here the registrar's end date), as in the 0501.
            var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Assert.All(message.Descendants(x + "Aufbewahrungsende"), e => Assert.Equal(yesterday, e.Value));
            Assert.Equal(2, message.Descendants(x + "Aufbewahrungsende").Count());

            // Every Dateiname is in the ZIP and nothing else is, besides the message, its manifest and the integrity evidence.
            var named = message.Descendants(x + "Dateiname").Select(d => d.Value).ToHashSet();
            var extra = entries.Keys.Except(named).Except([messageName]).ToList();
            Assert.All(named, n => Assert.True(entries.ContainsKey(n), $"{n} is named but not in the ZIP"));
            Assert.Equal(2, extra.Count);
            var manifestName = Assert.Single(extra, e => e.EndsWith(".sha256", StringComparison.Ordinal));
            Assert.Single(extra, e => e.EndsWith(".json", StringComparison.Ordinal));

            // The manifest's hashes match every other entry.
            var manifest = Encoding.UTF8.GetString(entries[manifestName]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split("  ", 2)).ToDictionary(p => p[1].TrimStart('*'), p => p[0]);
            Assert.Equal(entries.Keys.Except([manifestName]).OrderBy(n => n), manifest.Keys.OrderBy(n => n));
            Assert.All(manifest, m => Assert.Equal(m.Value, Convert.ToHexStringLower(SHA256.HashData(entries[m.Key]))));

            // Each transferred version (F1's PDF, F3's text note; F1's note is in the V case) has a PDF/A primary file that passes the offline checks.
            var pdfa = 0;
            foreach (var (name, bytes) in entries.Where(e => e.Key.EndsWith(".pdf", StringComparison.Ordinal)))
            {
                var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-{Guid.NewGuid():N}.pdf");
                await System.IO.File.WriteAllBytesAsync(path, bytes);
                try
                {
                    var (_, meta) = await Tool.RunAsync("pdfinfo", "-meta", path);
                    output.WriteLine($"{name}: {bytes.Length} bytes, PDF/A: {meta.Contains("pdfaid", StringComparison.Ordinal)}");
                    if (!meta.Contains("pdfaid", StringComparison.Ordinal)) continue;
                    pdfa++;
                    var (exit, check) = await Tool.RunAsync("qpdf", "--check", path);
                    Assert.True(exit == 0, $"{name}: {check}");
                    Assert.Matches("""pdfaid:part\s*(=\s*['"]2['"]|>\s*2\s*<)""", meta);
                    ECase.Pdf.Tests.Preflight.AssertOnlyPdfA1Findings(path, output);
                    var (_, fonts) = await Tool.RunAsync("pdffonts", path);
                    Assert.DoesNotMatch(@"\bno\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", fonts.Split('\n').Skip(2).FirstOrDefault(l => l.Contains(" no ", StringComparison.Ordinal)) ?? "");
                }
                finally
                {
                    System.IO.File.Delete(path);
                }
            }

            Assert.Equal(2, pdfa);
        }

        // The archive's receipt (0507) and import confirmation (0506).
        (await _archivist.PostAsync($"/api/disposal/processes/{process}/transfer-receipt", ArchiveSide.Xml(ArchiveSide.Receipt(process, "0507")))).EnsureSuccessStatusCode();
        var confirmed = await (await _archivist.PostAsync($"/api/disposal/processes/{process}/import-confirmation",
            ArchiveSide.Xml(ArchiveSide.ImportConfirmation(process, (f1, true, "StAM 1/2026"), (kept, true, "StAM 1/2026-1"), (f3, true, "StAM 2/2026"))))).ReadAsync<ArchiveReplyRecorded>();
        Assert.Equal(ECase.Domain.Disposal.DisposalStage.ImportConfirmed, confirmed.Stage);

        // Destruction: F1 (transferred) and F2 (V) go, F3 stays because of its legal hold and says so.
        var result = await (await Registrar.PostJsonAsync($"/api/disposal/processes/{process}/destroy", new { note = "Aussonderung 2026" })).ReadAsync<DisposalResult>();
        Assert.Equal(Disposition.Transferred, result.Disposed.Single(d => d.FileId == f1).Disposition);
        Assert.Equal("StAM 1/2026", result.Disposed.Single(d => d.FileId == f1).ArchiveReference);
        Assert.Equal(Disposition.Destroyed, result.Disposed.Single(d => d.FileId == f2).Disposition);
        var skipped = Assert.Single(result.Skipped);
        Assert.Equal((f3, "legal-hold"), (skipped.FileId, skipped.Code));
        Assert.Contains("Klage VG Musterstadt 4 K 12/26", skipped.Reason, StringComparison.Ordinal);
        await app.WaitForJobsAsync();

        Assert.All(blobsOf[f1].Concat(blobsOf[f2]), h => Assert.False(System.IO.File.Exists(BlobPath(h)), $"{h} should be deleted"));
        Assert.All(blobsOf[f3], h => Assert.True(System.IO.File.Exists(BlobPath(h)), $"{h} should stay"));
        Assert.Equal(HttpStatusCode.NotFound, (await _archivist.GetAsync($"/api/export-jobs/{job.Id}/download")).StatusCode);

        // The streams say so; metadata stays.
        await using (var query = app.Store.QuerySession())
        {
            foreach (var stream in new[] { f1, f2, kept, dropped })
                Assert.IsType<FileDestroyed>((await query.Events.FetchStreamAsync(stream)).Last().Data);
            Assert.IsType<FileReleasedFromDisposal>((await query.Events.FetchStreamAsync(f3)).Last().Data);
        }

        // Tamper evidence still holds: the deleted blobs of destroyed streams are not "missing".
        var auditor = app.ClientFor("auditor");
        foreach (var f in new[] { f1, f2, f3 })
        {
            var report = await (await auditor.PostAsync($"/api/files/{f}/verify", null)).ReadAsync<JsonElement>();
            Assert.True(report.GetProperty("intact").GetBoolean(), report.ToString());
        }

        var f1View = (await (await Registrar.GetAsync($"/api/files/{f1}")).ReadAsync<JsonElement>()).GetProperty("file");
        Assert.Equal("Transferred", f1View.GetProperty("disposition").GetString());
        var doc = await (await Registrar.GetAsync($"/api/cases/{kept}")).ReadAsync<JsonElement>();
        var documentId = doc.GetProperty("case").GetProperty("documents")[0].GetProperty("id").GetGuid();
        Assert.Equal("content-destroyed", (await (await Registrar.GetAsync($"/api/cases/{kept}/documents/{documentId}/versions/1/content")).ProblemAsync(410)).Code());

        // The certificate: PDF/A, naming what went where and what stayed and why.
        var certificate = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-{Guid.NewGuid():N}.pdf");
        await System.IO.File.WriteAllBytesAsync(certificate, await MessageAsync(Registrar, process, "certificate"));
        try
        {
            var (exit, check) = await Tool.RunAsync("qpdf", "--check", certificate);
            Assert.True(exit == 0, check);
            ECase.Pdf.Tests.Preflight.AssertOnlyPdfA1Findings(certificate, output);
            var (_, text) = await Tool.RunAsync("pdftotext", "-raw", certificate, "-"); // content order: a wrapped cell stays together
            var references = await Task.WhenAll(new[] { f1, f2, f3 }.Select(async f => (await (await Registrar.GetAsync($"/api/files/{f}")).ReadAsync<JsonElement>()).GetProperty("file").GetProperty("reference").GetString()!));
            // Table cells wrap long references; compare without white space.
            static string Flat(string s) => System.Text.RegularExpressions.Regex.Replace(s, @"\s+", "");
            Assert.All(references, r => Assert.Contains(r, Flat(text), StringComparison.Ordinal));
            Assert.Contains("StAM1/2026", Flat(text), StringComparison.Ordinal);
            Assert.Contains(Flat("Klage VG Musterstadt 4 K 12/26"), Flat(text), StringComparison.Ordinal);
        }
        finally
        {
            System.IO.File.Delete(certificate);
        }

        // The process's audit trail: every step with who did it, and every read of its messages and containers.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<(string Kind, string What, string User)> audit;
        do
        {
            audit = [.. (await (await Registrar.GetAsync($"/api/disposal/processes/{process}/audit")).ReadAsync<JsonElement>()).EnumerateArray()
                .Select(l => (l.GetProperty("kind").GetString()!, l.GetProperty("what").GetString()!, l.GetProperty("userId").GetString()!))];
            if (audit.Any(a => a.What == "disposal_completed")) break;
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Contains(("event", "files_offered_to_archive", "registrar"), audit);
        Assert.Contains(("event", "appraisal_recorded", "archivist"), audit);
        Assert.Contains(("event", "transfer_packaged", "archivist"), audit);
        Assert.Contains(("event", "import_confirmed", "archivist"), audit);
        Assert.Contains(("event", "disposal_completed", "registrar"), audit);
        Assert.Contains(("read", "read-disposal-message:0501", "archivist"), audit);
        Assert.Contains(("read", "download-transfer", "archivist"), audit);

        // A destroyed file is gone from search.
        await app.WaitForSearchAsync();
        var hits = await (await Registrar.GetAsync("/api/search?q=Sondernutzung")).ReadAsync<JsonElement>();
        Assert.Equal(0, hits.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task An_offer_is_written_in_xdomea_3_0_0_on_request()
    {
        var file = await DueFileAsync(("Alt.txt", "text/plain", Text("Altakte")));
        var started = await (await Registrar.PostJsonAsync("/api/disposal/processes", new { fileIds = new[] { file }, version = "3.0.0" })).ReadAsync<DisposalStarted>();
        var offer = await MessageAsync(Registrar, started.ProcessId, "0501");
        AssertSchemaValid(offer, "Aussonderung.Anbieteverzeichnis.0501");
        Assert.Contains("urn:xoev-de:xdomea:schema:3.0.0", Encoding.UTF8.GetString(offer), StringComparison.Ordinal);
        var refused = await (await Registrar.PostJsonAsync("/api/disposal/processes", new { fileIds = new[] { file }, version = "4.0.0" })).ProblemAsync(400);
        Assert.Equal("xdomea-version-unsupported", refused.Code());
    }

    [Fact]
    public async Task A_two_stage_process_takes_the_appraisal_from_the_file_plan()
    {
        var plan = $"91.{Random.Shared.Next(1, 9999)}";
        (await Registrar.PostJsonAsync("/api/file-plan", new { code = plan, title = "Kleinschriftgut", retentionYears = 2, disposal = "Destroy" })).EnsureSuccessStatusCode();
        var file = await _given.FileAsync(planUnit: plan);
        var (caseId, _, sha) = await DocumentAsync(file.Id, "Beleg.pdf", "application/pdf", DemoPdf.Create("Beleg 4711"));
        (await _given.ClerkHa.PostJsonAsync($"/api/files/{file.Id}/close", new { })).EnsureSuccessStatusCode();
        (await Registrar.PutAsync($"/api/files/{file.Id}/retention", new StringContent(
            JsonSerializer.Serialize(new { endsOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1), reason = "abgelaufen" }), Encoding.UTF8, "application/json")))
            .EnsureSuccessStatusCode();

        var started = await (await Registrar.PostJsonAsync("/api/disposal/processes", new { fileIds = new[] { file.Id }, twoStage = true })).ReadAsync<DisposalStarted>();
        Assert.Null(started.OfferMessage);
        var state = await (await Registrar.GetAsync($"/api/disposal/processes/{started.ProcessId}")).ReadAsync<JsonElement>();
        Assert.Equal("Appraised", state.GetProperty("stage").GetString());
        Assert.Equal("V", state.GetProperty("appraisal").GetProperty(file.Id.ToString()).GetString());

        var result = await (await Registrar.PostJsonAsync($"/api/disposal/processes/{started.ProcessId}/destroy", new { })).ReadAsync<DisposalResult>();
        Assert.Equal(Disposition.Destroyed, Assert.Single(result.Disposed).Disposition);
        await app.WaitForJobsAsync();
        Assert.False(System.IO.File.Exists(BlobPath(sha)));
        Assert.Equal(HttpStatusCode.OK, (await Registrar.GetAsync($"/api/cases/{caseId}")).StatusCode);
    }

    private string BlobPath(string sha) => System.IO.Path.Combine(app.ContentRoot, sha[..2], sha[2..4], sha);
}
