using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using ECase.Application.Scanning;
using UglyToad.PdfPig;

namespace ECase.Pdf.Tests;

/// <summary>XMP (read with XDocument) against the Info dictionary: PDF/A identification and the same values in matching forms.</summary>
public sealed class MetadataTests(SamplePdf sample) : IClassFixture<SamplePdf>
{
    private static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static readonly XNamespace PdfAId = "http://www.aiim.org/pdfa/ns/id/";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    private static readonly XNamespace Xmp = "http://ns.adobe.com/xap/1.0/";
    private static readonly XNamespace Pdf = "http://ns.adobe.com/pdf/1.3/";
    private static readonly XNamespace XmlNs = XNamespace.Xml;

    [Fact]
    public void Xmp_identifies_pdfa_2b()
    {
        var xmp = Xmp_of(sample.Bytes);
        Assert.Equal("2", Single(xmp, PdfAId + "part"));
        Assert.Equal("B", Single(xmp, PdfAId + "conformance"));
        Assert.Equal("application/pdf", Single(xmp, Dc + "format"));
    }

    [Fact]
    public void Xmp_and_info_dictionary_carry_the_same_title_author_subject_tool_producer_and_dates()
    {
        var xmp = Xmp_of(sample.Bytes);
        using var document = PdfDocument.Open(sample.Bytes);
        var info = document.Information;
        var expected = Fixtures.Metadata;

        Assert.Equal(expected.Title, info.Title);
        Assert.Equal(info.Title, AltDefault(xmp, Dc + "title"));
        Assert.Equal(expected.Author, info.Author);
        Assert.Equal([info.Author!], SeqItems(xmp, Dc + "creator"));
        Assert.Equal(expected.Subject, info.Subject);
        Assert.Equal(info.Subject, AltDefault(xmp, Dc + "description"));
        Assert.Equal(info.Creator, Single(xmp, Xmp + "CreatorTool"));
        Assert.Equal(info.Producer, Single(xmp, Pdf + "Producer"));
        Assert.False(string.IsNullOrEmpty(info.Producer));

        Assert.Equal("D:20261129143005+01'00'", info.CreationDate);
        Assert.Equal("2026-11-29T14:30:05+01:00", Single(xmp, Xmp + "CreateDate"));
        AssertSameInstantAndOffset(info.CreationDate!, Single(xmp, Xmp + "CreateDate"));
        AssertSameInstantAndOffset(info.ModifiedDate!, Single(xmp, Xmp + "ModifyDate"));
        Assert.Equal(expected.Created, info.GetCreatedDateTimeOffset());
    }

    [Fact]
    public void Metadata_that_is_empty_is_left_out_of_both_and_utc_and_negative_offsets_match()
    {
        var created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(-5.5));
        var bytes = Fixtures.Write([Fixtures.RgbPage(1)], new PdfAMetadata("Nur Titel & <Zeichen>", "", "  ", created));
        var xmp = Xmp_of(bytes);
        using var document = PdfDocument.Open(bytes);
        var info = document.Information;
        Assert.Equal("Nur Titel & <Zeichen>", AltDefault(xmp, Dc + "title"));
        Assert.Equal(info.Title, AltDefault(xmp, Dc + "title"));
        Assert.Null(info.Author);
        Assert.Null(info.Subject);
        Assert.Empty(xmp.Descendants(Dc + "creator"));
        Assert.Empty(xmp.Descendants(Dc + "description"));
        Assert.Equal("D:20260102030405-05'30'", info.CreationDate);
        Assert.Equal("2026-01-02T03:04:05-05:30", Single(xmp, Xmp + "CreateDate"));

        var utc = Xmp_of(Fixtures.Write([Fixtures.RgbPage(1)], Fixtures.Metadata with { Created = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero) }));
        Assert.Equal("2026-06-01T00:00:00+00:00", Single(utc, Xmp + "CreateDate"));
    }

    private static XDocument Xmp_of(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        Assert.True(document.TryGetXmpMetadata(out var metadata), "the catalog has an XMP metadata stream");
        // XmpMetadata.GetXDocument (PdfPig 0.1.16) decodes the bytes as Latin-1; XML without an encoding declaration is UTF-8.
        using var xml = new System.IO.MemoryStream(metadata.GetXmlBytes().ToArray());
        var xdoc = XDocument.Load(xml);
        Assert.NotNull(xdoc.Root);
        Assert.Equal("xmpmeta", xdoc.Root!.Name.LocalName);
        return xdoc;
    }

    private static string Single(XDocument xmp, XName name)
    {
        var elements = xmp.Descendants(name).ToList();
        Assert.True(elements.Count == 1, $"exactly one {name} in the XMP, found {elements.Count}");
        return elements[0].Value;
    }

    private static string AltDefault(XDocument xmp, XName name)
    {
        var element = Assert.Single(xmp.Descendants(name));
        var items = element.Element(Rdf + "Alt")!.Elements(Rdf + "li").ToList();
        return Assert.Single(items, li => (string?)li.Attribute(XmlNs + "lang") == "x-default").Value;
    }

    private static List<string> SeqItems(XDocument xmp, XName name) =>
        Assert.Single(xmp.Descendants(name)).Element(Rdf + "Seq")!.Elements(Rdf + "li").Select(li => li.Value).ToList();

    /// <summary>PDF date D:YYYYMMDDHHmmSS+HH'mm' and XMP date YYYY-MM-DDThh:mm:ss+hh:mm: the same fields, the same offset.</summary>
    private static void AssertSameInstantAndOffset(string pdfDate, string xmpDate)
    {
        var p = Regex.Match(pdfDate, @"^D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)([+-])(\d\d)'(\d\d)'$");
        Assert.True(p.Success, "PDF date format: " + pdfDate);
        var x = Regex.Match(xmpDate, @"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)([+-])(\d\d):(\d\d)$");
        Assert.True(x.Success, "XMP date format: " + xmpDate);
        for (var i = 1; i <= 9; i++)
            Assert.Equal(p.Groups[i].Value, x.Groups[i].Value);
        var iso = $"{p.Groups[1]}-{p.Groups[2]}-{p.Groups[3]}T{p.Groups[4]}:{p.Groups[5]}:{p.Groups[6]}{p.Groups[7]}{p.Groups[8]}:{p.Groups[9]}";
        var fromPdf = DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);
        var fromXmp = DateTimeOffset.Parse(xmpDate, CultureInfo.InvariantCulture);
        Assert.Equal(fromPdf, fromXmp);
        Assert.Equal(fromPdf.Offset, fromXmp.Offset);
    }
}
