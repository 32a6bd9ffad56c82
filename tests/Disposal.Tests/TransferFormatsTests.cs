using System.Text;
using System.Text.RegularExpressions;
using ECase.Infrastructure.Xdomea;

namespace ECase.Disposal.Tests;

/// <summary>Format codes, entry names and what the 0503 reads from a PDF's bytes while it copies them.</summary>
public sealed class TransferFormatsTests
{
    private static readonly byte[] PdfA = Encoding.ASCII.GetBytes(
        "%PDF-1.7\n%\u00e2\u00e3\n4 0 obj\n<< /Type /Metadata /Subtype /XML /Length 300 >>\nstream\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">" +
        "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" pdfaid:part=\"2\" pdfaid:conformance=\"B\"/>" +
        "</x:xmpmeta>\nendstream\nendobj\n" + new string('x', 2000) + "\n%%EOF\n");

    private static (string? PdfA, string? Header) Sniff(byte[] bytes, int chunk)
    {
        var sniffer = new TransferFormats.PdfSniffer();
        for (var i = 0; i < bytes.Length; i += chunk) sniffer.Observe(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
        return (sniffer.PdfAVersion(), sniffer.HeaderVersion);
    }

    [Fact]
    public void A_PDF_A_declaration_is_found_however_the_bytes_are_split_into_chunks()
    {
        foreach (var chunk in new[] { 8, 9, 13, 64, 100, 127, 4096 })
            Assert.Equal(("2b", "1.7"), Sniff(PdfA, chunk));
    }

    [Fact]
    public void The_element_form_of_the_declaration_counts_too_and_a_plain_PDF_has_none()
    {
        var element = Encoding.ASCII.GetBytes("%PDF-1.4\n<pdfaid:part>3</pdfaid:part>\n<pdfaid:conformance>u</pdfaid:conformance>\n%%EOF\n");
        Assert.Equal(("3u", "1.4"), Sniff(element, 10));
        Assert.Equal((null, "1.5"), Sniff(Encoding.ASCII.GetBytes("%PDF-1.5\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"), 16));
    }

    [Fact]
    public void Entry_names_are_stable_uuid_names_the_xdomea_pattern_accepts()
    {
        var document = Guid.Parse("01a227fb-6c2b-7904-9eec-ff3a56a6bc5f");
        var name = TransferFormats.EntryName(document, 1, "archival", "pdf");
        Assert.Equal(name, TransferFormats.EntryName(document, 1, "archival", "pdf"));
        Assert.NotEqual(name, TransferFormats.EntryName(document, 1, "original", "pdf"));
        Assert.NotEqual(name, TransferFormats.EntryName(document, 2, "archival", "pdf"));
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\\.pdf$", name);
        // xdomea's stringDateinameType, as the schema states it.
        Assert.Matches(new Regex(@"^[0-9|A-F|a-f]{8}-[0-9|A-F|a-f]{4}-[0-9|A-F|a-f]{4}-[0-9|A-F|a-f]{4}-[0-9|A-F|a-f]{12}[_]?.*[\.]?.*$"), name);
    }

    [Theory]
    [InlineData("application/pdf", "Bescheid.pdf", "018", null, "pdf")]
    [InlineData("image/png", "Lageplan.PNG", "019", null, "png")]
    [InlineData("image/jpeg", "Foto.jpeg", "010", null, "jpeg")]
    [InlineData("image/jpeg", "Foto.JPG", "011", null, "jpg")]
    [InlineData("image/tiff", "Scan.tif", "023", null, "tif")]
    [InlineData("image/tiff", "Scan", "024", null, "tiff")]
    [InlineData("text/plain", "Notiz.txt", "045", null, "txt")]
    [InlineData("message/rfc822", "Mail.eml", "006", null, "eml")]
    [InlineData("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Brief.docx", "035", null, "docx")]
    [InlineData("application/x-unknown", "Daten.xyz", "100", "application/x-unknown", "xyz")]
    [InlineData("application/x-unknown", "Daten", "100", "application/x-unknown", "bin")]
    public void Formats_map_to_the_xdomea_Dateiformat_code_list(string mediaType, string fileName, string code, string? other, string extension) =>
        Assert.Equal((code, other, extension), TransferFormats.Of(mediaType, fileName));

    [Fact]
    public void A_PDF_A_rendition_names_its_part_and_conformance_as_the_format_version() =>
        Assert.Equal("2b", TransferFormats.PdfAVersion("PDF/A-2b"));
}
