using System.IO;
using System.Xml.Linq;
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
    private static readonly (string Code, string Details)[] PdfA1Only =
    [
        ("7.11.2", "part must be 1"), // PDF/A identification: PDF/A-1 wants pdfaid:part 1; this file is PDF/A-2 (ISO 19005-2, 6.6.4)
    ];

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

    private void AssertOnlyPdfA1Findings(string pdf)
    {
        string[] jars =
        [
            Tools.Jar("preflight.jar", "libpdfbox2-java"),
            Tools.Jar("pdfbox2.jar", "libpdfbox2-java"),
            Tools.Jar("xmpbox.jar", "libpdfbox2-java"),
            Tools.Jar("fontbox2.jar", "libfontbox2-java"),
            Tools.Jar("commons-logging.jar", "libcommons-logging-java"),
            // Preflight needs javax.activation and JAXB, which Java 11+ no longer ships and Debian's package does not depend on.
            Tools.Jar("javax.activation.jar", "libactivation-java"),
            Tools.Jar("jaxb-api.jar", "libjaxb-api-java"),
        ];
        var result = Tools.Java("-cp", string.Join(':', jars), "org.apache.pdfbox.preflight.Validator_A1b", "xml", pdf);
        output.WriteLine(result.All);
        var start = result.StdOut.IndexOf("<?xml", StringComparison.Ordinal);
        Assert.True(start >= 0, "Preflight printed no XML report: " + result.All);
        var report = XDocument.Parse(result.StdOut[start..]);
        Assert.NotNull(report.Root?.Element("isValid"));
        var errors = report.Descendants("error")
            .Select(e => (Code: (string?)e.Element("code") ?? "", Details: (string?)e.Element("details") ?? ""))
            .ToList();
        var unexpected = errors.Where(e => !PdfA1Only.Any(a => e.Code == a.Code && e.Details.Contains(a.Details, StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, "Preflight errors: " + string.Join("; ", unexpected.Select(e => e.Code + " " + e.Details)));
        // and the allowed finding is there, so we know Preflight read the XMP at all
        Assert.Contains(errors, e => e.Code == "7.11.2");
    }
}
