using System.Diagnostics;
using System.Net.Http.Headers;
using ECase.Application.Cases;
using ECase.Application.Scanning;
using ECase.Domain.Cases;
using ECase.Projections.Cases;
using Microsoft.Extensions.DependencyInjection;

namespace ECase.Integration.Tests;

/// <summary>Replacing scan end to end: upload with protocol → durable OCR job → text and PDF/A rendition, on real pages.</summary>
[Collection(ApiCollection.Name)]
public sealed class ScanningTests(ECaseApp app)
{
    private readonly Given _given = new(app);

    public static MultipartFormDataContent Scan(string path, string mediaType, bool accepted = true, string? reason = null, int? pageCount = null, byte[]? bytes = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("Posteingang Bauamt"), "title" },
            { new StringContent("Erika Scan"), "operator" },
            { new StringContent("Fujitsu fi-7160"), "device" },
            { new StringContent("Graustufen 300 dpi"), "profile" },
            { new StringContent("300"), "resolutionDpi" },
            { new StringContent("Grayscale"), "colourMode" },
            { new StringContent("High"), "protectionNeed" },
            { new StringContent("Quentin Prüfer"), "checkedBy" },
            { new StringContent(accepted ? "true" : "false"), "qualityAccepted" },
            { new StringContent(accepted ? "true" : "false"), "originalMayBeDestroyed" },
        };
        if (reason is not null) form.Add(new StringContent(reason), "qualityReason");
        if (pageCount is not null) form.Add(new StringContent(pageCount.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), "pageCount");
        var part = new ByteArrayContent(bytes ?? System.IO.File.ReadAllBytes(path));
        part.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        form.Add(part, "image", System.IO.Path.GetFileName(path));
        return form;
    }

    public static string MediaTypeOf(string path) => path.EndsWith(".png", StringComparison.Ordinal) ? "image/png" : "image/tiff";

    public static async Task<VersionView> WaitForOcrAsync(HttpClient clerk, Guid caseId, Guid documentId, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var view = await (await clerk.GetAsync($"/api/cases/{caseId}")).ReadAsync<CaseView>();
            var version = view.Case.Documents.Single(d => d.Id == documentId).Versions[0];
            if (version.Ocr.State is OcrState.Completed or OcrState.Failed && (version.Ocr.State == OcrState.Failed || version.Renditions.Count > 0)) return version;
            if (deadline.Elapsed > timeout) throw new TimeoutException($"OCR still {version.Ocr.State} after {timeout}.");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task A_scanned_page_becomes_text_under_one_percent_CER_and_a_searchable_PDF_A()
    {
        var (image, truth) = Fixtures.SinglePages().First();
        var (_, caseId) = await _given.FileWithCaseAsync();
        var recorded = await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/scans", Scan(image, MediaTypeOf(image)))).ReadAsync<ScanRecorded>();
        Assert.True(recorded.OcrQueued);

        var version = await WaitForOcrAsync(_given.ClerkHa, caseId, recorded.DocumentId, TimeSpan.FromSeconds(120));
        Assert.Equal(OcrState.Completed, version.Ocr.State);
        Assert.True(version.Ocr.MeanConfidence > 80, $"mean confidence {version.Ocr.MeanConfidence}");

        var text = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}/documents/{recorded.DocumentId}/versions/1/text")).ReadAsync<DocumentText>();
        var page = Assert.Single(text.Pages);
        var cer = Cer.Of(page.Text, truth);
        Assert.True(cer < 0.01, $"CER {cer:P2} on {System.IO.Path.GetFileName(image)}");
        Assert.NotEmpty(page.Words);

        var pdf = await _given.ClerkHa.GetAsync($"/api/cases/{caseId}/documents/{recorded.DocumentId}/versions/1/renditions/pdfa");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-rendition-{Guid.NewGuid():N}.pdf");
        await System.IO.File.WriteAllBytesAsync(path, await pdf.Content.ReadAsByteArrayAsync());
        try
        {
            var (qpdfExit, qpdfOut) = await Tool.RunAsync("qpdf", "--check", path);
            Assert.True(qpdfExit == 0, qpdfOut);
            var (_, pdfText) = await Tool.RunAsync("pdftotext", "-raw", path, "-");
            var pdfCer = Cer.Of(pdfText, truth);
            Assert.True(pdfCer < 0.01, $"CER of pdftotext on the rendition {pdfCer:P2}");
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public async Task A_scanners_image_only_PDF_is_rasterised_and_recognised()
    {
        var (image, truth) = Fixtures.SinglePages().First();
        // An image-only PDF as a scanner makes it: the page image, no text layer.
        var page = await app.Services.GetRequiredService<IOcrEngine>().RecognizeAsync(image, 0, "deu", CancellationToken.None);
        var pdf = new System.IO.MemoryStream();
        app.Services.GetRequiredService<IPdfAWriter>().WriteSearchable(
            [page with { Words = [], Text = "" }], new PdfAMetadata("Scan", "Scanner", "Scan", DateTimeOffset.UtcNow), pdf);

        var (_, caseId) = await _given.FileWithCaseAsync();
        var recorded = await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/scans",
            Scan("scan.pdf", "application/pdf", bytes: pdf.ToArray()))).ReadAsync<ScanRecorded>();
        var version = await WaitForOcrAsync(_given.ClerkHa, caseId, recorded.DocumentId, TimeSpan.FromSeconds(120));
        Assert.Equal(OcrState.Completed, version.Ocr.State);
        var text = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}/documents/{recorded.DocumentId}/versions/1/text")).ReadAsync<DocumentText>();
        var cer = Cer.Of(Assert.Single(text.Pages).Text, truth);
        Assert.True(cer < 0.01, $"CER {cer:P2} after rasterising the PDF");
    }

    [Fact]
    public async Task A_multi_page_TIFF_gives_one_text_per_page_in_order()
    {
        var tiff = Fixtures.Ocr("dev_07_3p.tif");
        var (_, caseId) = await _given.FileWithCaseAsync();
        var recorded = await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/scans", Scan(tiff, "image/tiff", pageCount: 3))).ReadAsync<ScanRecorded>();
        var version = await WaitForOcrAsync(_given.ClerkHa, caseId, recorded.DocumentId, TimeSpan.FromSeconds(180));
        Assert.Equal(OcrState.Completed, version.Ocr.State);
        Assert.Equal([1, 2, 3], version.Ocr.Pages.Select(p => p.Number));

        var text = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}/documents/{recorded.DocumentId}/versions/1/text")).ReadAsync<DocumentText>();
        Assert.Equal(3, text.Pages.Count);
        for (var i = 0; i < 3; i++)
        {
            var cer = Cer.Of(text.Pages[i].Text, await System.IO.File.ReadAllTextAsync(Fixtures.Ocr($"dev_07_3p.p{i + 1}.gt.txt")));
            Assert.True(cer < 0.01, $"page {i + 1}: CER {cer:P2}");
        }

        // The recognised text is searchable, and the hit names the page the word is on.
        var truths = await Task.WhenAll(Enumerable.Range(1, 3).Select(p => System.IO.File.ReadAllTextAsync(Fixtures.Ocr($"dev_07_3p.p{p}.gt.txt"))));
        static IEnumerable<string> Words(string t) => System.Text.RegularExpressions.Regex.Matches(t, @"\b\p{L}{9,}\b").Select(m => m.Value);
        static HashSet<string> Terms(Lucene.Net.Analysis.Analyzer analyzer, string t)
        {
            using var tokens = analyzer.GetTokenStream("text", t);
            var term = tokens.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
            tokens.Reset();
            var terms = new HashSet<string>();
            while (tokens.IncrementToken()) terms.Add(term.ToString());
            tokens.End();
            return terms;
        }

        // a word whose indexed forms (stem, compound parts) occur on page 3 only
        var index = ECase.Projections.Search.GermanAnalysis.ForIndex();
        var earlier = Terms(index, text.Pages[0].Text + "\n" + text.Pages[1].Text);
        var onlyOnPage3 = Words(truths[2]).First(w => text.Pages[2].Text.Contains(w, StringComparison.Ordinal)
            && !Terms(ECase.Projections.Search.GermanAnalysis.ForQuery(), w).Overlaps(earlier));
        await app.WaitForSearchAsync();
        var found = await (await _given.ClerkHa.GetAsync($"/api/search?q={Uri.EscapeDataString(onlyOnPage3)}&type=scan&pageSize=100"))
            .ReadAsync<ECase.Projections.Search.SearchResult>();
        var hit = Assert.Single(found.Hits, h => h.DocumentId == recorded.DocumentId);
        Assert.Equal(3, hit.Page);
        Assert.Contains("<mark>", hit.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scans_recorded_into_one_case_while_others_are_recognised_are_each_recognised_once()
    {
        // Every OCR job overlaps with the recording of the next scan and with the other job finishing. Each must complete
        // on its first recognition: not fail its append on the changed case stream, recognise everything again, and
        // possibly run out of retries and leave the version pending for ever.
        var pages = Fixtures.SinglePages().Take(3).ToList();
        var (_, caseId) = await _given.FileWithCaseAsync();
        await app.WaitForJobsAsync();
        var before = app.StoredBlobs().ToHashSet();
        var recorded = new List<ScanRecorded>();
        foreach (var (image, _) in pages)
            recorded.Add(await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/scans", Scan(image, MediaTypeOf(image)))).ReadAsync<ScanRecorded>());

        foreach (var r in recorded)
            Assert.Equal(OcrState.Completed, (await WaitForOcrAsync(_given.ClerkHa, caseId, r.DocumentId, TimeSpan.FromSeconds(180))).Ocr.State);

        // One PDF/A per scan: a second recognition stores a second rendition (its creation date differs).
        var renditions = app.StoredBlobs().Where(p => !before.Contains(p) && System.IO.File.ReadAllBytes(p).AsSpan().StartsWith("%PDF-"u8)).ToList();
        Assert.Equal(pages.Count, renditions.Count);
    }

    [Fact]
    public async Task A_scan_that_fails_its_quality_check_is_kept_without_text_or_rendition()
    {
        var (image, _) = Fixtures.SinglePages().First();
        var (_, caseId) = await _given.FileWithCaseAsync();
        var recorded = await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/scans",
            Scan(image, MediaTypeOf(image), accepted: false, reason: "Seite 2 unleserlich"))).ReadAsync<ScanRecorded>();
        Assert.False(recorded.OcrQueued);

        var view = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}")).ReadAsync<CaseView>();
        var doc = Assert.Single(view.Case.Documents);
        Assert.False(doc.Scan!.Quality!.Accepted);
        Assert.Equal("Seite 2 unleserlich", doc.Scan.Quality.Reason);
        Assert.False(doc.Scan.Protocol.OriginalMayBeDestroyed);
        Assert.Equal(OcrState.NotApplicable, doc.Versions[0].Ocr.State);
        Assert.Empty(doc.Versions[0].Renditions);
        Assert.Equal("rendition-not-available", (await (await _given.ClerkHa.GetAsync(
            $"/api/cases/{caseId}/documents/{recorded.DocumentId}/versions/1/renditions/pdfa")).ProblemAsync(409)).Code());
    }

    [Fact]
    public async Task A_scan_whose_protocol_miscounts_the_pages_is_refused()
    {
        var (image, _) = Fixtures.SinglePages().First();
        var (_, caseId) = await _given.FileWithCaseAsync();
        await app.WaitForJobsAsync();
        var events = await app.EventCountAsync();
        var problem = await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/scans", Scan(image, MediaTypeOf(image), pageCount: 2))).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("pageCount", out _));
        Assert.Equal(events, await app.EventCountAsync());
        Assert.Empty(app.StagingFiles());
    }

    [Fact]
    public async Task Bad_images_are_refused_and_nothing_is_stored()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        var tif = System.IO.File.ReadAllBytes(Fixtures.Ocr("dev_07_3p.tif"));
        var cases = new (string Name, string Type, byte[] Bytes, int Status)[]
        {
            ("leer.png", "image/png", [], 400),
            ("text.png", "image/png", "Das ist kein Bild"u8.ToArray(), 400),
            ("halb.tif", "image/tiff", tif[..(tif.Length / 3)], 400),
            ("riesig.png", "image/png", HugePng(20_000, 10_000), 400),
        };
        foreach (var c in cases)
        {
            // Jobs of earlier tests store blobs too; only this request may act while we compare.
            await app.WaitForJobsAsync();
            var events = await app.EventCountAsync();
            var blobs = app.StoredBlobs();
            var response = await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/scans", Scan(c.Name, c.Type, bytes: c.Bytes));
            var problem = await response.ProblemAsync(c.Status);
            Assert.False(string.IsNullOrEmpty(problem.Code()), c.Name);
            Assert.Equal(events, await app.EventCountAsync());
            Assert.Equal(blobs, app.StoredBlobs());
            Assert.Empty(app.StagingFiles());
        }

        // The service still works after all that.
        var (image, _) = Fixtures.SinglePages().First();
        Assert.True((await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/scans", Scan(image, MediaTypeOf(image)))).IsSuccessStatusCode);
    }

    /// <summary>A PNG whose header claims width × height pixels (a decompression bomb's header), with a tiny body.</summary>
    public static byte[] HugePng(int width, int height)
    {
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // grayscale
        var chunk = Chunk("IHDR", ihdr);
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        return [.. signature, .. chunk, .. Chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]), .. Chunk("IEND", [])];

        static byte[] Chunk(string type, byte[] data)
        {
            var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
            var length = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            var crc = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32([.. typeBytes, .. data]));
            return [.. length, .. typeBytes, .. data, .. crc];
        }

        static uint Crc32(byte[] bytes)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in bytes)
            {
                crc ^= b;
                for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }

            return ~crc;
        }
    }
}

public static class Tool
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
