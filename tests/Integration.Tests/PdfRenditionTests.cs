using System.Diagnostics;
using System.Globalization;
using System.Text;
using ECase.Api.Demo;
using ECase.Application.Cases;
using ECase.Projections.Cases;

namespace ECase.Integration.Tests;

/// <summary>Born-digital PDFs that are not PDF/A get a PDF/A-2b rendition; the original stays untouched.</summary>
[Collection(ApiCollection.Name)]
public sealed class PdfRenditionTests(ECaseApp app)
{
    private readonly Given _given = new(app);

    private async Task<(Guid CaseId, Guid DocumentId, VersionView Version)> SubmitAndWaitAsync(byte[] pdf)
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        var submitted = await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions",
            Given.Submission(files: ("Schreiben.pdf", "application/pdf", pdf)))).ReadAsync<SubmissionRegisteredDto>();
        var documentId = submitted.DocumentIds[0];
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var view = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}")).ReadAsync<CaseView>();
            var version = view.Case.Documents.Single(d => d.Id == documentId).Versions[0];
            if (version.Renditions.Count > 0) return (caseId, documentId, version);
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("no PDF/A rendition");
            await Task.Delay(100);
        }
    }

    private async Task<string> DownloadAsync(string url)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-test-{Guid.NewGuid():N}.pdf");
        await System.IO.File.WriteAllBytesAsync(path, await (await _given.ClerkHa.GetAsync(url)).Content.ReadAsByteArrayAsync());
        return path;
    }

    [Fact]
    public async Task A_born_digital_PDF_gets_a_PDF_A_2b_rendition_with_its_text()
    {
        var original = DemoPdf.Create("Bescheid über die Baugenehmigung");
        var (caseId, documentId, version) = await SubmitAndWaitAsync(original);
        Assert.Equal("PDF/A-2b", Assert.Single(version.Renditions).Format);

        var path = await DownloadAsync($"/api/cases/{caseId}/documents/{documentId}/versions/1/renditions/pdfa");
        try
        {
            var (exit, check) = await Tool.RunAsync("qpdf", "--check", path);
            Assert.True(exit == 0, check);
            var (_, text) = await Tool.RunAsync("pdftotext", path, "-");
            Assert.Contains("Bescheid über die Baugenehmigung", text, StringComparison.Ordinal);
            var (_, info) = await Tool.RunAsync("pdfinfo", "-meta", path);
            Assert.Matches("""pdfaid:part\s*(=\s*['"]2['"]|>\s*2\s*<)""", info);
            Assert.Matches("""pdfaid:conformance\s*(=\s*['"]B['"]|>\s*B\s*<)""", info);
            Assert.Contains("/OutputIntent", await QdfAsync(path), StringComparison.Ordinal);
        }
        finally
        {
            System.IO.File.Delete(path);
        }

        var stored = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}/documents/{documentId}/versions/1/content")).Content.ReadAsByteArrayAsync();
        Assert.Equal(original, stored);
    }

    [Fact]
    public async Task JavaScript_in_a_submitted_PDF_does_not_reach_the_rendition()
    {
        var withScript = PdfWithOpenActionScript("Antrag mit Skript");
        var (caseId, documentId, _) = await SubmitAndWaitAsync(withScript);
        var path = await DownloadAsync($"/api/cases/{caseId}/documents/{documentId}/versions/1/renditions/pdfa");
        try
        {
            var qdf = await QdfAsync(path);
            Assert.DoesNotContain("/JavaScript", qdf, StringComparison.Ordinal);
            Assert.DoesNotContain("/JS", qdf, StringComparison.Ordinal);
            Assert.DoesNotContain("/OpenAction", qdf, StringComparison.Ordinal);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    /// <summary>The PDF uncompressed and in object order (qpdf --qdf), so keys can be searched as text.</summary>
    private static async Task<string> QdfAsync(string path)
    {
        var qdf = path + ".qdf";
        try
        {
            await Tool.RunAsync("qpdf", "--qdf", "--object-streams=disable", path, qdf);
            return Encoding.Latin1.GetString(await System.IO.File.ReadAllBytesAsync(qdf));
        }
        finally
        {
            System.IO.File.Delete(qdf);
        }
    }

    /// <summary>A one-page PDF whose catalog runs JavaScript when opened.</summary>
    private static byte[] PdfWithOpenActionScript(string text)
    {
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\('hallo'\\);) >> /Names << /JavaScript 6 0 R >> >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            $"<< /Length {17 + text.Length + 12} >>\nstream\nBT /F1 14 Tf 72 760 Td ({text}) Tj ET\nendstream",
            "<< /Names [(init) << /S /JavaScript /JS (app.alert\\(2\\);) >>] >>",
        ];
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets) pdf.Append(CultureInfo.InvariantCulture, $"{o:D10} 00000 n \n");
        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    private sealed record SubmissionRegisteredDto(Guid CaseId, Guid SubmissionId, List<Guid> DocumentIds, long Version);
}
