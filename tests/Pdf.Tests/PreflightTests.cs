using System.IO;
using ECase.Application.Scanning;
using Xunit.Abstractions;

namespace ECase.Pdf.Tests;

/// <summary>
/// Apache PDFBox Preflight 2.0 (Debian libpdfbox2-java) validates PDF/A-1b only; there is no PDF/A-2 validator in Debian
/// (veraPDF is not packaged). Its checks that PDF/A-2b shares with PDF/A-1b (file structure, fonts and glyph widths, colour
/// spaces against the output intent, XMP syntax and Info consistency, actions, transparency) must pass; the one PDF/A-1-only
/// finding allowed is 7.11.2 "part must be 1": our XMP says pdfaid:part 2 on purpose.
/// </summary>
public sealed class PreflightTests(SamplePdf sample, ITestOutputHelper output) : IClassFixture<SamplePdf>
{
    [Fact]
    public void Preflight_finds_nothing_but_the_pdfa1_part_number_in_the_sample()
    {
        AssertOnlyPdfA1Findings(sample.Path);
    }

    [Fact]
    public void Preflight_finds_nothing_but_the_pdfa1_part_number_with_many_distinct_characters()
    {
        var text = string.Concat(Enumerable.Range(0x20, 0x5F).Concat(Enumerable.Range(0xA1, 0x15F)).Select(c => (char)c)).Replace(" ", "", StringComparison.Ordinal);
        var words = text.Chunk(12).Select((c, i) => new OcrWord(new string(c), 20 + 60 * (i % 8), 20 + 24 * (i / 8), 55, 20, 90, 1, i / 8 + 1)).ToList();
        var page = Fixtures.RgbPage(1) with { Words = words };
        var path = Path.Combine(sample.Directory, "many-characters.pdf");
        File.WriteAllBytes(path, Fixtures.Write([page, Fixtures.GrayPage(2)]));
        AssertOnlyPdfA1Findings(path);
    }

    private void AssertOnlyPdfA1Findings(string pdf) => Preflight.AssertOnlyPdfA1Findings(pdf, output);
}
