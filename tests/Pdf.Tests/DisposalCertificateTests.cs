using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ECase.Application.Disposal;
using ECase.Infrastructure.Pdf;
using UglyToad.PdfPig;
using Xunit.Abstractions;

namespace ECase.Pdf.Tests;

/// <summary>The disposal certificate (ADR 0017): PDF/A-2b with the same offline checks, its content as text, many pages.</summary>
public sealed class DisposalCertificateTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Guid ProcessId = Guid.Parse("5b0f3c1e-8d2a-4f7b-9c11-2a6e0d4b7f90");
    private readonly string _dir = Directory.CreateTempSubdirectory("ecase-certificate-").FullName;

    public static DisposalCertificateData Data(int entries) => new(
        ProcessId,
        "Landesamt für Prüfung und Aufsicht",
        "Landesarchiv Baden-Württemberg, Hauptstaatsarchiv Stuttgart",
        "Dr. Jürgen Groß (Referat Z 3)",
        new DateTimeOffset(2026, 11, 2, 9, 15, 0, TimeSpan.FromHours(1)),
        new DateTimeOffset(2026, 11, 29, 14, 30, 5, TimeSpan.FromHours(1)),
        Enumerable.Range(1, entries).Select(Entry).ToList(),
        [
            new CertificateEntry("AZ 9001/19", "Bauakte Schloßstraße 7 – Widerspruchsverfahren", Guid.Parse("0c9e8b1a-0000-4000-8000-000000009001"),
                "zurückgehalten: Rechtsstand/legal hold", null, 12, 15, 3_456_789),
        ],
        "Aussonderung nach Bewertung durch das Landesarchiv vom 15.10.2026; Vermerk „A“ = archivwürdig.");

    private static CertificateEntry Entry(int i) =>
        i % 3 == 0
            ? new CertificateEntry($"AZ {i:D4}/26", $"Förderantrag Nr. {i} über 12.500 €", Id(i), "vernichtet (V)", null, i % 7 + 1, i % 7 + 2, 1000L * i)
            : new CertificateEntry($"AZ {i:D4}/26", $"Änderungsbescheid {i}: Straße ÄÖÜ, ein längerer Betreff, der in der Spalte umbricht", Id(i),
                "an Archiv übergeben", $"HStAS EA 2/{i:D3} Bü {i}", i % 5 + 1, i % 5 + 1, 123_456L * i);

    private static Guid Id(int i) => Guid.Parse($"0c9e8b1a-0000-4000-8000-{i:D12}");

    [Fact]
    public void Certificate_is_pdfa_2b_with_an_embedded_dejavu_sans_subset()
    {
        var path = Write(Data(5), "small.pdf");
        var check = Tools.Qpdf("--check", path);
        Assert.True(check.ExitCode == 0, check.All);
        Assert.DoesNotContain("WARNING", check.All, StringComparison.OrdinalIgnoreCase);
        Preflight.AssertOnlyPdfA1Findings(path, output);
        var fonts = Tools.PdfFonts(path);
        Assert.Equal("", fonts.StdErr);
        var font = Assert.Single(PopplerTests.FontRows(fonts.StdOut));
        Assert.Matches("^[A-Z]{6}\\+DejaVuSans$", font.Name);
        Assert.Equal(("CID TrueType", "Identity-H", "yes", "yes", "yes"), (font.Type, font.Encoding, font.Emb, font.Sub, font.Uni));
    }

    [Fact]
    public void Certificate_text_names_the_process_order_files_archive_references_and_skipped_reason()
    {
        var data = Data(5);
        var text = Normalise(Tools.PdfToText("-enc", "UTF-8", Write(data, "content.pdf"), "-").StdOut);
        output.WriteLine(text);
        Assert.Contains("Nachweis über die Aussonderung und Vernichtung", text);
        Assert.Contains(ProcessId.ToString("D"), text);
        Assert.Contains("Landesamt für Prüfung und Aufsicht", text);
        Assert.Contains("Landesarchiv Baden-Württemberg, Hauptstaatsarchiv Stuttgart", text);
        Assert.Contains("Dr. Jürgen Groß (Referat Z 3)", text);
        Assert.Contains("02.11.2026, 09:15:00 Uhr (UTC+01:00)", text);
        Assert.Contains("29.11.2026, 14:30:05 Uhr (UTC+01:00)", text);
        Assert.Contains("Vermerk „A“ = archivwürdig", text);
        foreach (var entry in data.Entries)
        {
            Assert.Contains(entry.Reference, text);
            Assert.Contains(entry.FileId.ToString("D"), text);
            if (entry.ArchiveReference is { } archived)
                Assert.Contains(archived, text);
        }
        Assert.Contains("an Archiv übergeben", text);
        Assert.Contains("vernichtet (V)", text);
        Assert.Contains("AZ 9001/19", text);
        Assert.Contains("zurückgehalten: Rechtsstand/legal hold", text);
        Assert.Contains("3.456.789", text);
        var entries = data.Entries;
        Assert.Contains($"Summe: 5 Akten, {entries.Sum(e => e.Documents)} Dokumente, {entries.Sum(e => e.Blobs)} Dateien, " +
            $"{entries.Sum(e => e.Bytes).ToString("N0", CultureInfo.InvariantCulture).Replace(',', '.')} Bytes", text);
        Assert.Contains("Metadaten", text);
        Assert.Contains("werden aufbewahrt", text);
        Assert.Contains("Seite 1 von 1", text);
    }

    [Fact]
    public void Three_hundred_files_take_several_pages_each_numbered_and_the_checks_still_pass()
    {
        var data = Data(300);
        var watch = Stopwatch.StartNew();
        var path = Write(data, "long.pdf");
        output.WriteLine($"300 entries: {watch.Elapsed.TotalMilliseconds:0} ms (first call includes font parsing), {new FileInfo(path).Length} bytes");
        using (var pdf = PdfDocument.Open(path))
        {
            Assert.True(pdf.NumberOfPages > 1, $"{pdf.NumberOfPages} page(s)");
            output.WriteLine($"{pdf.NumberOfPages} pages");
            for (var i = 1; i <= pdf.NumberOfPages; i++)
                Assert.Contains($"Seite {i} von {pdf.NumberOfPages}", Normalise(string.Join(" ", pdf.GetPage(i).GetWords().Select(w => w.Text))));
        }
        var text = Normalise(Tools.PdfToText("-enc", "UTF-8", path, "-").StdOut);
        foreach (var entry in data.Entries)
            Assert.Contains(entry.Reference, text);
        Assert.Contains("HStAS EA 2/299 Bü 299", text);
        Assert.Contains("zurückgehalten: Rechtsstand/legal hold", text);
        Assert.Contains("Summe: 300 Akten", text);
        Preflight.AssertOnlyPdfA1Findings(path, output);
        Assert.True(Tools.Qpdf("--check", path).ExitCode == 0);

        watch.Restart();
        Write(data, "long-again.pdf");
        output.WriteLine($"300 entries again: {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public void Equal_data_give_equal_bytes_and_the_date_is_the_time_of_destruction()
    {
        var a = File.ReadAllBytes(Write(Data(20), "a.pdf"));
        var b = File.ReadAllBytes(Write(Data(20), "b.pdf"));
        Assert.Equal(a, b);

        using var pdf = PdfDocument.Open(a);
        Assert.Equal(DisposalCertificateWriter.Title, pdf.Information.Title);
        Assert.Equal("Landesamt für Prüfung und Aufsicht", pdf.Information.Author);
        Assert.Equal("D:20261129143005+01'00'", pdf.Information.CreationDate);
        Assert.True(pdf.TryGetXmpMetadata(out var xmp));
        var xml = XDocument.Parse(System.Text.Encoding.UTF8.GetString(xmp.GetXmlBytes().ToArray()));
        XNamespace pdfaid = "http://www.aiim.org/pdfa/ns/id/", x = "http://ns.adobe.com/xap/1.0/", dc = "http://purl.org/dc/elements/1.1/";
        Assert.Equal("2", xml.Descendants(pdfaid + "part").Single().Value);
        Assert.Equal("B", xml.Descendants(pdfaid + "conformance").Single().Value);
        Assert.Equal("2026-11-29T14:30:05+01:00", xml.Descendants(x + "CreateDate").Single().Value);
        Assert.Equal(DisposalCertificateWriter.Title, xml.Descendants(dc + "title").Single().Value);
    }

    [Fact]
    public void A_certificate_without_skipped_files_says_none()
    {
        var data = Data(2) with { Skipped = [], Note = null };
        var text = Normalise(Tools.PdfToText("-enc", "UTF-8", Write(data, "none-skipped.pdf"), "-").StdOut);
        Assert.Contains("Zurückgehaltene Akten (0) Keine.", text);
        Assert.DoesNotContain("Bemerkung", text);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a temp folder left behind is harmless
        }
    }

    private string Write(DisposalCertificateData data, string name)
    {
        var path = Path.Combine(_dir, name);
        using (var file = File.Create(path))
            new DisposalCertificateWriter().Write(data, file);
        return path;
    }

    private static string Normalise(string text) => Regex.Replace(text, @"\s+", " ");
}
