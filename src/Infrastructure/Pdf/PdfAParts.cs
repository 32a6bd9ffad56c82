using System.Text;

namespace ECase.Infrastructure.Pdf;

/// <summary>
/// The parts every PDF/A-2b we write shares (ADR 0010): the catalog with its sRGB output intent, the Info dictionary and the
/// XMP packet holding the same values.
/// </summary>
internal static class PdfAParts
{
    /// <summary>The output intent's condition: the embedded profile is sRGB (Resources/sRGB.icc, icc-profiles-free, zlib licence).</summary>
    public const string OutputCondition = "sRGB IEC61966-2.1";

    public static readonly Lazy<byte[]> SrgbProfile = new(() => Resources.Load("sRGB.icc"));

    public static string Catalog(int pageTree, int xmp, int icc) =>
        $"<< /Type /Catalog /Pages {PdfFileWriter.Ref(pageTree)} /Metadata {PdfFileWriter.Ref(xmp)} " +
        $"/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier {PdfSyntax.TextString(OutputCondition)} " +
        $"/RegistryName (http://www.color.org) /Info {PdfSyntax.TextString(OutputCondition)} " +
        $"/DestOutputProfile {PdfFileWriter.Ref(icc)} >>] >>";

    /// <summary>The ICC stream the output intent points at.</summary>
    public static void WriteOutputProfile(PdfFileWriter pdf, int icc) => pdf.WriteFlateStream(icc, " /N 3", SrgbProfile.Value);

    /// <summary>Title, author and subject are expected cleaned (<see cref="PdfSyntax.CleanMetadata"/>), the date to the second.</summary>
    public static string InfoDictionary(DocumentMetadata m)
    {
        var sb = new StringBuilder("<<");
        if (m.Title.Length > 0)
            sb.Append(" /Title ").Append(PdfSyntax.TextString(m.Title));
        if (m.Author.Length > 0)
            sb.Append(" /Author ").Append(PdfSyntax.TextString(m.Author));
        if (m.Subject.Length > 0)
            sb.Append(" /Subject ").Append(PdfSyntax.TextString(m.Subject));
        sb.Append(" /Creator ").Append(PdfSyntax.TextString(m.CreatorTool))
          .Append(" /Producer ").Append(PdfSyntax.TextString(m.Producer))
          .Append(" /CreationDate ").Append(PdfSyntax.TextString(PdfSyntax.PdfDate(m.Created)))
          .Append(" /ModDate ").Append(PdfSyntax.TextString(PdfSyntax.PdfDate(m.Created)))
          .Append(" >>");
        return sb.ToString();
    }

    /// <summary>
    /// The XMP packet: PDF/A identification and the same title, author, subject, tool, producer and dates as the Info dictionary
    /// (PDF/A-2 6.6.2.3.1), in predefined schemas only, so no extension schema is needed. Our files are not modified after they
    /// are made, so ModifyDate and MetadataDate equal CreateDate, which keeps the output a pure function of its input.
    /// </summary>
    public static byte[] XmpPacket(DocumentMetadata m)
    {
        var date = PdfSyntax.XmpDate(m.Created);
        var sb = new StringBuilder();
        sb.Append("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
          .Append("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n")
          .Append(" <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n")
          .Append("  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n")
          .Append("   <pdfaid:part>2</pdfaid:part>\n")
          .Append("   <pdfaid:conformance>B</pdfaid:conformance>\n")
          .Append("  </rdf:Description>\n")
          .Append("  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n")
          .Append("   <dc:format>application/pdf</dc:format>\n");
        if (m.Title.Length > 0)
            sb.Append("   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">").Append(Xml(m.Title)).Append("</rdf:li></rdf:Alt></dc:title>\n");
        if (m.Author.Length > 0)
            sb.Append("   <dc:creator><rdf:Seq><rdf:li>").Append(Xml(m.Author)).Append("</rdf:li></rdf:Seq></dc:creator>\n");
        if (m.Subject.Length > 0)
            sb.Append("   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">").Append(Xml(m.Subject)).Append("</rdf:li></rdf:Alt></dc:description>\n");
        sb.Append("  </rdf:Description>\n")
          .Append("  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n")
          .Append("   <xmp:CreatorTool>").Append(Xml(m.CreatorTool)).Append("</xmp:CreatorTool>\n")
          .Append("   <xmp:CreateDate>").Append(date).Append("</xmp:CreateDate>\n")
          .Append("   <xmp:ModifyDate>").Append(date).Append("</xmp:ModifyDate>\n")
          .Append("   <xmp:MetadataDate>").Append(date).Append("</xmp:MetadataDate>\n")
          .Append("  </rdf:Description>\n")
          .Append("  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n")
          .Append("   <pdf:Producer>").Append(Xml(m.Producer)).Append("</pdf:Producer>\n")
          .Append("  </rdf:Description>\n")
          .Append(" </rdf:RDF>\n")
          .Append("</x:xmpmeta>\n");
        for (var i = 0; i < 20; i++) // padding so that the packet can be edited in place (XMP part 1, 7.3.3)
            sb.Append(' ', 99).Append('\n');
        sb.Append("<?xpacket end=\"w\"?>");
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(sb.ToString());
    }

    private static string Xml(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}

/// <summary>Document metadata as written to Info and XMP: cleaned texts, the date to the second.</summary>
internal sealed record DocumentMetadata(string Title, string Author, string Subject, DateTimeOffset Created, string CreatorTool, string Producer)
{
    public static DocumentMetadata Create(string? title, string? author, string? subject, DateTimeOffset created, string creatorTool, string producer) =>
        new(PdfSyntax.CleanMetadata(title), PdfSyntax.CleanMetadata(author), PdfSyntax.CleanMetadata(subject), PdfSyntax.ToSeconds(created),
            creatorTool, producer);
}
