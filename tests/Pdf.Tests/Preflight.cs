using System.Xml.Linq;
using Xunit.Abstractions;

namespace ECase.Pdf.Tests;

/// <summary>
/// Apache PDFBox Preflight 2.0 (Debian libpdfbox2-java), a PDF/A-1b validator: the only finding allowed on our PDF/A-2b files
/// is 7.11.2 "part must be 1" (see <see cref="PreflightTests"/>).
/// </summary>
public static class Preflight
{
    private static readonly (string Code, string Details)[] PdfA1Only =
    [
        ("7.11.2", "part must be 1"), // PDF/A identification: PDF/A-1 wants pdfaid:part 1; this file is PDF/A-2 (ISO 19005-2, 6.6.4)
    ];

    /// <summary>Runs Preflight on <paramref name="pdf"/>; every finding as (code, details).</summary>
    public static List<(string Code, string Details)> Findings(string pdf, ITestOutputHelper? output = null)
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
        output?.WriteLine(result.All);
        var start = result.StdOut.IndexOf("<?xml", StringComparison.Ordinal);
        Assert.True(start >= 0, "Preflight printed no XML report: " + result.All);
        var report = XDocument.Parse(result.StdOut[start..]);
        Assert.NotNull(report.Root?.Element("isValid"));
        return report.Descendants("error")
            .Select(e => (Code: (string?)e.Element("code") ?? "", Details: (string?)e.Element("details") ?? ""))
            .ToList();
    }

    public static void AssertOnlyPdfA1Findings(string pdf, ITestOutputHelper? output = null)
    {
        var errors = Findings(pdf, output);
        var unexpected = errors.Where(e => !PdfA1Only.Any(a => e.Code == a.Code && e.Details.Contains(a.Details, StringComparison.Ordinal))).ToList();
        Assert.True(unexpected.Count == 0, "Preflight errors: " + string.Join("; ", unexpected.Select(e => e.Code + " " + e.Details)));
        // and the allowed finding is there, so we know Preflight read the XMP at all
        Assert.Contains(errors, e => e.Code == "7.11.2");
    }
}
