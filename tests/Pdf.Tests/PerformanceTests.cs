using System.Diagnostics;
using System.IO;
using ECase.Application.Scanning;
using ECase.Infrastructure.Pdf;
using Xunit.Abstractions;

namespace ECase.Pdf.Tests;

/// <summary>
/// Time and size for a realistic page: A4 at 300 dpi (2480x3508, 8-bit gray JPEG rendered by Ghostscript from
/// Fixtures/pages.ps, about 300 words with their real ink boxes). The numbers are printed for ADR 0010; the bound is loose.
/// </summary>
public sealed class PerformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void A4_page_at_300_dpi_with_about_300_words()
    {
        var dir = Directory.CreateTempSubdirectory("ecase-pdfa-perf-");
        try
        {
            var jpegPath = Path.Combine(dir.FullName, "dense.jpg");
            var gs = Tools.Ghostscript("-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=jpeggray", "-dJPEGQ=75", "-r300", "-g2480x3508",
                "-dR=300", "-dH=841.92", "-sPAGE=dense", "-sOutputFile=" + jpegPath, Path.Combine(Fixtures.Dir, "pages.ps"));
            Assert.True(gs.ExitCode == 0, gs.All);
            var wordsPath = Path.Combine(dir.FullName, "dense.words.tsv");
            File.WriteAllText(wordsPath, gs.StdOut);
            var words = Fixtures.ReadWords(wordsPath);
            Assert.InRange(words.Count, 280, 340);
            var jpeg = File.ReadAllBytes(jpegPath);
            var page = new OcrPage(1, Fixtures.TextOf(words), 90, 0, 2480, 3508, 300, 300, words, jpeg);

            var writer = new SearchablePdfAWriter();
            byte[] pdf = [];
            for (var i = 0; i < 3; i++) // warm-up (JIT, resources)
                pdf = Write(writer, [page]);

            const int runs = 20;
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < runs; i++)
                pdf = Write(writer, [page]);
            var perPage = watch.Elapsed.TotalMilliseconds / runs;

            IReadOnlyList<OcrPage> ten = Enumerable.Range(1, 10).Select(n => page with { Number = n }).ToList();
            watch.Restart();
            var tenPages = Write(writer, ten);
            var perPageOfTen = watch.Elapsed.TotalMilliseconds / 10;

            output.WriteLine($"words: {words.Count}, JPEG: {jpeg.Length} bytes");
            output.WriteLine($"one-page PDF: {pdf.Length} bytes (+{pdf.Length - jpeg.Length} bytes over the JPEG), {perPage:0.00} ms per document");
            output.WriteLine($"ten-page PDF: {tenPages.Length} bytes (+{(tenPages.Length - 10L * jpeg.Length) / 10} bytes per page over the JPEG), {perPageOfTen:0.00} ms per page");

            var path = Path.Combine(dir.FullName, "dense.pdf");
            File.WriteAllBytes(path, pdf);
            var text = Tools.PdfToText("-raw", "-enc", "UTF-8", path, "-");
            Assert.Equal(page.Text, TextLayerTests.Normalise(text.StdOut));
            Assert.InRange(perPage, 0, 500);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static byte[] Write(SearchablePdfAWriter writer, IReadOnlyList<OcrPage> pages)
    {
        using var stream = new MemoryStream();
        writer.WriteSearchable(pages, Fixtures.Metadata, stream);
        return stream.ToArray();
    }
}
