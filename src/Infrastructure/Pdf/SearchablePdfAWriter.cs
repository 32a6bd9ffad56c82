using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using ECase.Application.Scanning;

namespace ECase.Infrastructure.Pdf;

/// <summary>
/// Writes searchable PDF/A-2b files from recognised page images (ADR 0010). Each page is the page's JPEG, embedded as it is
/// (DCTDecode, DeviceGray or DeviceRGB), full page, at the size its pixels and resolution give; over it, invisible text
/// (rendering mode 3) in an embedded glyphless font, one text run per word stretched onto the word's box, words of a line
/// on a common baseline, so that viewers select and search the words where they are and text extraction reads them line by line.
/// The PDF is written by hand: classic cross-reference table, XMP metadata matching the Info dictionary, an sRGB output intent.
/// Stateless and thread-safe; register as a singleton.
/// </summary>
public sealed class SearchablePdfAWriter : IPdfAWriter
{
    /// <summary>Info /Producer and pdf:Producer.</summary>
    public const string Producer = "ECase searchable PDF/A writer";

    /// <summary>Info /Creator and xmp:CreatorTool.</summary>
    public const string CreatorTool = "ECase OCR";

    /// <summary>The output intent's condition: the embedded profile is sRGB (Resources/sRGB.icc, icc-profiles-free, zlib licence).</summary>
    public const string OutputCondition = "sRGB IEC61966-2.1";

    // ISO 32000-1 Annex C (implementation limits, which PDF/A-2 6.1.13 adopts): page sides between 3 and 14 400 units.
    private const double MinPageSide = 3, MaxPageSide = 14400;

    private static readonly Lazy<byte[]> SrgbProfile = new(() => Resources.Load("sRGB.icc"));

    /// <summary>Writes <paramref name="pages"/> as one PDF/A-2b document to <paramref name="output"/> (which is flushed, not closed).</summary>
    /// <exception cref="ArgumentException">No pages, or a page whose image is not a usable JPEG or does not match its size or resolution.</exception>
    public void WriteSearchable(IReadOnlyList<OcrPage> pages, PdfAMetadata metadata, Stream output)
    {
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(output);
        if (pages.Count == 0)
            throw new ArgumentException("a PDF needs at least one page", nameof(pages));
        if (!output.CanWrite)
            throw new ArgumentException("the output stream is not writable", nameof(output));

        // Lay out every page first: the font's CIDs are shared by all pages and its objects need them all.
        var font = new GlyphlessFont();
        var layouts = new PageLayout[pages.Count];
        for (var i = 0; i < pages.Count; i++)
            layouts[i] = PageLayout.Create(pages[i] ?? throw new ArgumentException($"page {i + 1} is null", nameof(pages)), i, font);

        const int catalog = 1, pageTree = 2, info = 3, xmp = 4, icc = 5;
        var fontObject = font.IsUsed ? 6 : 0;
        var firstPageObject = font.IsUsed ? 12 : 6; // the font takes six objects
        var size = firstPageObject + 3 * pages.Count;

        var title = PdfSyntax.CleanMetadata(metadata.Title);
        var author = PdfSyntax.CleanMetadata(metadata.Author);
        var subject = PdfSyntax.CleanMetadata(metadata.Subject);
        var created = PdfSyntax.ToSeconds(metadata.Created);

        var pdf = new PdfFileWriter(output);
        pdf.WriteHeader();
        pdf.WriteObject(catalog,
            $"<< /Type /Catalog /Pages {PdfFileWriter.Ref(pageTree)} /Metadata {PdfFileWriter.Ref(xmp)} " +
            $"/OutputIntents [<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier {PdfSyntax.TextString(OutputCondition)} " +
            $"/RegistryName (http://www.color.org) /Info {PdfSyntax.TextString(OutputCondition)} " +
            $"/DestOutputProfile {PdfFileWriter.Ref(icc)} >>] >>");
        var kids = string.Join(" ", Enumerable.Range(0, pages.Count).Select(i => PdfFileWriter.Ref(firstPageObject + 3 * i)));
        pdf.WriteObject(pageTree, $"<< /Type /Pages /Kids [{kids}] /Count {pages.Count.ToString(CultureInfo.InvariantCulture)} >>");
        pdf.WriteObject(info, InfoDictionary(title, author, subject, created));
        pdf.WriteStream(xmp, " /Type /Metadata /Subtype /XML", XmpPacket(title, author, subject, created)); // uncompressed (6.6.2.1)
        pdf.WriteFlateStream(icc, " /N 3", SrgbProfile.Value);

        for (var i = 0; i < layouts.Length; i++)
        {
            var layout = layouts[i];
            int page = firstPageObject + 3 * i, contents = page + 1, image = page + 2;
            var fontResource = layout.HasText ? $" /Font << /{PageLayout.FontResource} {PdfFileWriter.Ref(fontObject)} >>" : "";
            pdf.WriteObject(page,
                $"<< /Type /Page /Parent {PdfFileWriter.Ref(pageTree)} " +
                $"/MediaBox [0 0 {PdfSyntax.Number(layout.WidthPt)} {PdfSyntax.Number(layout.HeightPt)}] " +
                $"/Resources << /XObject << /{PageLayout.ImageResource} {PdfFileWriter.Ref(image)} >>{fontResource} >> " +
                $"/Contents {PdfFileWriter.Ref(contents)} >>");
            pdf.WriteFlateStream(contents, "", layout.Content);
            var jpeg = layout.Jpeg;
            pdf.WriteStream(image,
                $" /Type /XObject /Subtype /Image /Width {jpeg.Width.ToString(CultureInfo.InvariantCulture)} " +
                $"/Height {jpeg.Height.ToString(CultureInfo.InvariantCulture)} " +
                $"/ColorSpace {(jpeg.Components == 1 ? "/DeviceGray" : "/DeviceRGB")} /BitsPerComponent 8 /Filter /DCTDecode" +
                (jpeg.AdobeNoColorTransform ? " /DecodeParms << /ColorTransform 0 >>" : ""),
                pages[i].JpegImage);
        }
        if (font.IsUsed)
            font.Write(pdf, fontObject);

        pdf.WriteTrailer(size, catalog, info, DocumentId(pages, layouts, title, author, subject, created));
    }

    private static string InfoDictionary(string title, string author, string subject, DateTimeOffset created)
    {
        var sb = new StringBuilder("<<");
        if (title.Length > 0)
            sb.Append(" /Title ").Append(PdfSyntax.TextString(title));
        if (author.Length > 0)
            sb.Append(" /Author ").Append(PdfSyntax.TextString(author));
        if (subject.Length > 0)
            sb.Append(" /Subject ").Append(PdfSyntax.TextString(subject));
        sb.Append(" /Creator ").Append(PdfSyntax.TextString(CreatorTool))
          .Append(" /Producer ").Append(PdfSyntax.TextString(Producer))
          .Append(" /CreationDate ").Append(PdfSyntax.TextString(PdfSyntax.PdfDate(created)))
          .Append(" /ModDate ").Append(PdfSyntax.TextString(PdfSyntax.PdfDate(created)))
          .Append(" >>");
        return sb.ToString();
    }

    /// <summary>
    /// The XMP packet: PDF/A identification and the same title, author, subject, tool, producer and dates as the Info dictionary
    /// (PDF/A-2 6.6.2.3.1), in predefined schemas only, so no extension schema is needed. The rendition is not modified
    /// after it is made, so ModifyDate and MetadataDate equal CreateDate, which keeps the output a pure function of its input.
    /// </summary>
    private static byte[] XmpPacket(string title, string author, string subject, DateTimeOffset created)
    {
        var date = PdfSyntax.XmpDate(created);
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
        if (title.Length > 0)
            sb.Append("   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">").Append(Xml(title)).Append("</rdf:li></rdf:Alt></dc:title>\n");
        if (author.Length > 0)
            sb.Append("   <dc:creator><rdf:Seq><rdf:li>").Append(Xml(author)).Append("</rdf:li></rdf:Seq></dc:creator>\n");
        if (subject.Length > 0)
            sb.Append("   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">").Append(Xml(subject)).Append("</rdf:li></rdf:Alt></dc:description>\n");
        sb.Append("  </rdf:Description>\n")
          .Append("  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n")
          .Append("   <xmp:CreatorTool>").Append(Xml(CreatorTool)).Append("</xmp:CreatorTool>\n")
          .Append("   <xmp:CreateDate>").Append(date).Append("</xmp:CreateDate>\n")
          .Append("   <xmp:ModifyDate>").Append(date).Append("</xmp:ModifyDate>\n")
          .Append("   <xmp:MetadataDate>").Append(date).Append("</xmp:MetadataDate>\n")
          .Append("  </rdf:Description>\n")
          .Append("  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n")
          .Append("   <pdf:Producer>").Append(Xml(Producer)).Append("</pdf:Producer>\n")
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

    /// <summary>The file identifier: a hash of everything that determines the file, so equal input gives an equal file.</summary>
    private static byte[] DocumentId(IReadOnlyList<OcrPage> pages, PageLayout[] layouts, string title, string author, string subject, DateTimeOffset created)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Join('\u0001', title, author, subject, PdfSyntax.PdfDate(created), Producer)));
        for (var i = 0; i < pages.Count; i++)
        {
            hash.AppendData(SHA256.HashData(pages[i].JpegImage));
            hash.AppendData(SHA256.HashData(layouts[i].Content));
        }
        return hash.GetHashAndReset().AsSpan(0, 16).ToArray();
    }

    /// <summary>One page's geometry and content stream (uncompressed).</summary>
    private sealed record PageLayout(JpegInfo Jpeg, double WidthPt, double HeightPt, byte[] Content, bool HasText)
    {
        public const string ImageResource = "Im0";
        public const string FontResource = "F1";

        public static PageLayout Create(OcrPage page, int index, GlyphlessFont font)
        {
            var label = $"page {index + 1} (number {page.Number})";
            if (page.JpegImage is null || page.JpegImage.Length == 0)
                throw new ArgumentException($"{label} has no image", "pages");
            JpegInfo jpeg;
            try
            {
                jpeg = JpegInfo.Parse(page.JpegImage);
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"{label}: {e.Message}", "pages", e);
            }
            if (jpeg.Width != page.WidthPx || jpeg.Height != page.HeightPx)
                throw new ArgumentException($"{label}: the JPEG is {jpeg.Width}x{jpeg.Height} pixels but the page says {page.WidthPx}x{page.HeightPx}", "pages");
            if (page.DpiX <= 0 || page.DpiY <= 0)
                throw new ArgumentException($"{label}: resolution {page.DpiX}x{page.DpiY} dpi is not positive", "pages");

            double sx = 72.0 / page.DpiX, sy = 72.0 / page.DpiY;
            double width = page.WidthPx * sx, height = page.HeightPx * sy;
            if (width is < MinPageSide or > MaxPageSide || height is < MinPageSide or > MaxPageSide)
                throw new ArgumentException(
                    $"{label}: {PdfSyntax.Number(width)}x{PdfSyntax.Number(height)} pt is outside the PDF page size limits (3 to 14400 pt); check the resolution", "pages");

            var content = new StringBuilder();
            content.Append("q\n").Append(PdfSyntax.Number(width)).Append(" 0 0 ").Append(PdfSyntax.Number(height))
                   .Append(" 0 0 cm\n/").Append(ImageResource).Append(" Do\nQ\n");
            var hasText = AppendTextLayer(content, page, sx, sy, height, font);
            return new PageLayout(jpeg, width, height, Encoding.ASCII.GetBytes(content.ToString()), hasText);
        }

        /// <summary>
        /// Words are grouped into lines by consecutive equal (Block, Line). A line's font size is its height and its baseline its
        /// bottom edge (the glyph box spans baseline to baseline + size), so a line's words share one baseline and text extraction
        /// keeps them on one line. Each word is one run stretched with Tz to its box width; a space glyph stretched over the gap
        /// to the next word of the line gives copied text its spaces.
        /// </summary>
        private static bool AppendTextLayer(StringBuilder content, OcrPage page, double sx, double sy, double pageHeight, GlyphlessFont font)
        {
            var words = new List<(OcrWord Box, List<Rune> Text)>();
            foreach (var word in page.Words ?? [])
            {
                if (word is null || word.Width <= 0 || word.Height <= 0)
                    continue;
                var text = CleanWord(word.Text);
                if (text.Count > 0)
                    words.Add((word, text));
            }
            if (words.Count == 0)
                return false;

            var space = font.Encode([new Rune(' ')]);
            content.Append("BT\n3 Tr\n");
            for (var first = 0; first < words.Count;)
            {
                var end = first + 1;
                while (end < words.Count && words[end].Box.Block == words[first].Box.Block && words[end].Box.Line == words[first].Box.Line)
                    end++;
                int top = int.MaxValue, bottom = int.MinValue;
                for (var i = first; i < end; i++)
                {
                    top = Math.Min(top, words[i].Box.Top);
                    bottom = Math.Max(bottom, words[i].Box.Top + words[i].Box.Height);
                }
                var size = (bottom - top) * sy;
                var baseline = pageHeight - bottom * sy;
                content.Append('/').Append(FontResource).Append(' ').Append(PdfSyntax.Number(size)).Append(" Tf\n");
                for (var i = first; i < end; i++)
                {
                    var (box, text) = words[i];
                    var natural = text.Count * GlyphlessFont.GlyphAdvance * size;
                    content.Append(PdfSyntax.Number(100 * box.Width * sx / natural)).Append(" Tz 1 0 0 1 ")
                           .Append(PdfSyntax.Number(box.Left * sx)).Append(' ').Append(PdfSyntax.Number(baseline))
                           .Append(" Tm <").Append(font.Encode(text)).Append("> Tj");
                    var gap = i + 1 < end ? (words[i + 1].Box.Left - (box.Left + box.Width)) * sx : 0;
                    if (gap > 0)
                        content.Append(' ').Append(PdfSyntax.Number(100 * gap / (GlyphlessFont.GlyphAdvance * size)))
                               .Append(" Tz <").Append(space).Append("> Tj");
                    content.Append('\n');
                }
                first = end;
            }
            content.Append("ET\n");
            return true;
        }

        /// <summary>The word's characters in NFC, without control characters, inner white space as single spaces.</summary>
        private static List<Rune> CleanWord(string? text)
        {
            var result = new List<Rune>();
            if (string.IsNullOrEmpty(text))
                return result;
            var sanitized = new StringBuilder(text.Length);
            foreach (var rune in text.EnumerateRunes()) // lone surrogates become U+FFFD, so Normalize cannot throw
                sanitized.Append(rune.ToString());
            foreach (var rune in sanitized.ToString().Normalize(NormalizationForm.FormC).EnumerateRunes())
            {
                if (Rune.IsWhiteSpace(rune))
                {
                    if (result.Count > 0 && result[^1].Value != ' ')
                        result.Add(new Rune(' '));
                }
                else if (!Rune.IsControl(rune))
                {
                    result.Add(rune);
                }
            }
            if (result.Count > 0 && result[^1].Value == ' ')
                result.RemoveAt(result.Count - 1);
            return result;
        }
    }
}
