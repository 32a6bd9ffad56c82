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
    public const string OutputCondition = PdfAParts.OutputCondition;

    // ISO 32000-1 Annex C (implementation limits, which PDF/A-2 6.1.13 adopts): page sides between 3 and 14 400 units.
    private const double MinPageSide = 3, MaxPageSide = 14400;

    /// <summary>Writes <paramref name="pages"/> as one PDF/A-2b document to <paramref name="output"/> (which is flushed, not closed).</summary>
    /// <exception cref="ArgumentException">No pages, or a page whose image is not a usable JPEG or does not match its size or resolution.</exception>
    public void WriteSearchable(IReadOnlyList<OcrPage> pages, PdfAMetadata metadata, Stream output) =>
        WriteSearchable(pages, metadata, output, CreatorTool);

    /// <summary>As <see cref="WriteSearchable(IReadOnlyList{OcrPage}, PdfAMetadata, Stream)"/>, naming another tool as creator (Info /Creator, xmp:CreatorTool).</summary>
    internal void WriteSearchable(IReadOnlyList<OcrPage> pages, PdfAMetadata metadata, Stream output, string creatorTool)
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

        var meta = DocumentMetadata.Create(metadata.Title, metadata.Author, metadata.Subject, metadata.Created, creatorTool, Producer);

        var pdf = new PdfFileWriter(output);
        pdf.WriteHeader();
        pdf.WriteObject(catalog, PdfAParts.Catalog(pageTree, xmp, icc));
        var kids = string.Join(" ", Enumerable.Range(0, pages.Count).Select(i => PdfFileWriter.Ref(firstPageObject + 3 * i)));
        pdf.WriteObject(pageTree, $"<< /Type /Pages /Kids [{kids}] /Count {pages.Count.ToString(CultureInfo.InvariantCulture)} >>");
        pdf.WriteObject(info, PdfAParts.InfoDictionary(meta));
        pdf.WriteStream(xmp, " /Type /Metadata /Subtype /XML", PdfAParts.XmpPacket(meta)); // uncompressed (6.6.2.1)
        PdfAParts.WriteOutputProfile(pdf, icc);

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

        pdf.WriteTrailer(size, catalog, info, DocumentId(pages, layouts, meta));
    }

    /// <summary>The file identifier: a hash of everything that determines the file, so equal input gives an equal file.</summary>
    private static byte[] DocumentId(IReadOnlyList<OcrPage> pages, PageLayout[] layouts, DocumentMetadata m)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(string.Join('\u0001', m.Title, m.Author, m.Subject, PdfSyntax.PdfDate(m.Created), m.Producer)));
        if (m.CreatorTool != CreatorTool) // the OCR renditions' identifiers stay what they were
            hash.AppendData(Encoding.UTF8.GetBytes(m.CreatorTool));
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
