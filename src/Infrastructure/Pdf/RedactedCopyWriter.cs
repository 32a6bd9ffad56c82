using System.Globalization;
using System.IO;
using System.Text;
using ECase.Application.Inspections;
using ECase.Domain.Inspections;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;

using PigDocument = UglyToad.PdfPig.PdfDocument;

namespace ECase.Infrastructure.Pdf;

/// <summary>
/// The citizen's redacted copy (issue #7, ADR 0019) as PDF/A-2b. Every page is rendered by Ghostscript to pixels (crop box,
/// /Rotate applied, no anti-aliasing); each redaction box is painted black into those pixels, one pixel wider on every side;
/// the page becomes one lossless image. The words PdfPig finds on the original page come back as invisible text in DejaVu
/// Sans, except every word of which any part (its box or one of its glyph boxes) touches a redaction box, and every word not
/// wholly on the visible page: such words are dropped whole. A withheld page becomes a placeholder page of the same size that states the page number and the reason.
/// Because the copy is composed from pixels and the kept words only, nothing of the original's content streams, fonts,
/// images, annotations, form fields, metadata, attachments or scripts reaches it; the original is only read.
/// Areas are in the displayed page's space: PDF points from the bottom left corner of the crop box with /Rotate applied, the
/// space of <see cref="PageSizes"/> and of the page images the clerk draws boxes on. Pages with /Rotate are burned in
/// correctly but carry no text layer (see <see cref="TextLayer"/>).
/// Stateless and thread-safe; register as a singleton.
/// </summary>
public sealed class RedactedCopyWriter(TimeProvider clock) : IRedactedCopies
{
    /// <summary>Info /Creator and xmp:CreatorTool.</summary>
    public const string CreatorTool = "ECase redacted copy";

    /// <summary>Resolution of the page images: legible on screen and in print; about 0.1 s and 70 kB a dense A4 text page.</summary>
    public const int Dpi = 150;

    /// <summary>Added on every side of a box, in pixels, against rounding between our page geometry and Ghostscript's.</summary>
    private const int Bleed = 1;

    public async Task<RedactedCopyInfo> WriteAsync(
        string inputPdfPath, IReadOnlyList<Redaction> redactions, string title, string outputPdfPath, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPdfPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPdfPath);
        ArgumentNullException.ThrowIfNull(redactions);
        if (string.Equals(Path.GetFullPath(inputPdfPath), Path.GetFullPath(outputPdfPath), StringComparison.Ordinal))
            throw new ArgumentException("the copy must not overwrite the original", nameof(outputPdfPath));

        var work = Directory.CreateTempSubdirectory("ecase-redact-").FullName;
        try
        {
            using var document = PigDocument.Open(inputPdfPath);
            Validate(redactions, document.NumberOfPages);
            await GhostscriptPdfAConverter.RasterizePagesAsync(inputPdfPath, work, Dpi, ct);
            var metadata = DocumentMetadata.Create(title, "", "", clock.GetUtcNow(), CreatorTool, ArchivalRenditions.Producer);
            return await Task.Run(() => Compose(document, redactions, work, metadata, outputPdfPath, ct), ct);
        }
        catch
        {
            File.Delete(outputPdfPath);
            throw;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public IReadOnlyList<PageDimensions> PageSizes(string pdfPath)
    {
        try
        {
            using var document = PigDocument.Open(pdfPath);
            return [.. document.GetPages().Select(PageGeometry.Of).Select(g => new PageDimensions(Math.Round(g.Width, 2), Math.Round(g.Height, 2)))];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"The PDF cannot be read: {e.Message}", e);
        }
    }

    public Task RenderPageAsync(string pdfPath, int page, int dpi, string pngPath, CancellationToken ct) =>
        GhostscriptPdfAConverter.RenderPngAsync(pdfPath, page, dpi, pngPath, ct);

    private static void Validate(IReadOnlyList<Redaction> redactions, int pages)
    {
        foreach (var r in redactions)
        {
            ArgumentNullException.ThrowIfNull(r);
            if (r.Area.Page < 1 || r.Area.Page > pages)
                throw new ArgumentException($"a redaction names page {r.Area.Page}, the PDF has {pages}", nameof(redactions));
            if (!r.WholePage && (!double.IsFinite(r.Area.X) || !double.IsFinite(r.Area.Y) || !(Math.Abs(r.Area.Width) > 0) || !(Math.Abs(r.Area.Height) > 0)))
                throw new ArgumentException($"a redaction on page {r.Area.Page} has no area", nameof(redactions));
        }
    }

    private static RedactedCopyInfo Compose(
        PigDocument document, IReadOnlyList<Redaction> redactions, string work, DocumentMetadata metadata, string outputPath, CancellationToken ct)
    {
        using var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var pdf = new PdfAComposer(output, metadata);
        var font = pdf.AddFont(DejaVu.Sans);
        var withheld = new List<int>();
        int boxes = 0, removed = 0;
        for (var number = 1; number <= document.NumberOfPages; number++)
        {
            ct.ThrowIfCancellationRequested();
            var page = document.GetPage(number);
            var geometry = PageGeometry.Of(page);
            var onPage = redactions.Where(r => r.Area.Page == number).ToList();
            var raster = Path.Combine(work, $"page-{number.ToString(CultureInfo.InvariantCulture)}.ppm");
            if (onPage.Any(r => r.WholePage))
            {
                withheld.Add(number);
                pdf.AddPage(geometry.Width, geometry.Height, Placeholder(font, number, onPage.Where(r => r.WholePage).Select(r => r.Reason), geometry));
            }
            else
            {
                var areas = onPage.Select(r => Normalise(r.Area)).ToList();
                boxes += areas.Count;
                var image = Ppm.Read(raster);
                geometry.Check(image.Width, image.Height, number);
                foreach (var area in areas)
                    image.Blacken(geometry.ToPixels(area, image.Width, image.Height, Bleed));
                var (components, rows) = image.Rows();
                var content = new PageContent();
                content.Image(pdf.AddImage(image.Width, image.Height, components, 8, rows), 0, 0, geometry.Width, geometry.Height);
                removed += TextLayer(content, font, page, areas, geometry);
                pdf.AddPage(geometry.Width, geometry.Height, content);
            }
            File.Delete(raster);
        }
        pdf.Finish();
        return new RedactedCopyInfo(document.NumberOfPages, boxes, withheld, removed);
    }

    /// <summary>
    /// The kept words as invisible text in the page's user space; returns how many words were dropped. The areas are mapped
    /// back into user space to test the words. A page with /Rotate gets no text layer: PdfPig reports its words in the
    /// displayed orientation rather than in user space, and a word tested against a box in the wrong space could leak.
    /// </summary>
    private static int TextLayer(PageContent content, EmbeddedFont font, Page page, IReadOnlyList<PdfRectangle> areas, PageGeometry geometry)
    {
        var removed = 0;
        if (page.Rotation.Value % 360 != 0)
            return page.GetWords().Count(w => Clean(w.Text).Length > 0);
        content.Transform(geometry.UserSpaceToPage);
        areas = [.. areas.Select(geometry.ToUserSpace)];
        foreach (var word in page.GetWords())
        {
            var text = Clean(word.Text);
            if (text.Length == 0)
                continue;
            if (!Inside(page.CropBox.Bounds, word.BoundingBox) || areas.Any(a => Touches(a, word.BoundingBox) || word.Letters.Any(l => Touches(a, l.BoundingBox) || Contains(a, l.StartBaseLine))))
            {
                removed++;
                continue;
            }
            var box = word.BoundingBox;
            var first = word.Letters.Count > 0 ? word.Letters[0] : null;
            var horizontal = word.TextOrientation == TextOrientation.Horizontal && first is not null;
            var size = horizontal && first!.PointSize > 0 ? first.PointSize : Math.Max(box.Height, 1);
            var baseline = horizontal ? first!.StartBaseLine.Y : box.Bottom;
            content.InvisibleText(font, size, box.Left, baseline, Math.Max(box.Width, 0.1), text);
        }
        content.Restore();
        return removed;
    }

    private static PageContent Placeholder(EmbeddedFont font, int number, IEnumerable<RedactionReason> reasons, PageGeometry geometry)
    {
        var content = new PageContent();
        var size = Math.Clamp(geometry.Width / 30, 5, 14);
        var x = Math.Min(72, geometry.Width / 10);
        var y = geometry.Height - Math.Min(100, geometry.Height / 5);
        content.Text(font, size, x, y, $"Seite {number.ToString(CultureInfo.InvariantCulture)} wurde zurückgehalten.");
        content.Text(font, size * 0.85, x, y - 2 * size, "Grund: " + string.Join("; ", reasons.Distinct().Order().Select(ReasonText)));
        return content;
    }

    /// <summary>The reason as the citizen reads it.</summary>
    public static string ReasonText(RedactionReason reason) => reason switch
    {
        RedactionReason.ThirdPartyPersonalData => "personenbezogene Daten Dritter",
        RedactionReason.BusinessSecret => "Betriebs- oder Geschäftsgeheimnis",
        RedactionReason.Draft => "Entwurf",
        _ => "sonstiger Grund",
    };

    private static PdfRectangle Normalise(RedactionArea a) =>
        new(Math.Min(a.X, a.X + a.Width), Math.Min(a.Y, a.Y + a.Height), Math.Max(a.X, a.X + a.Width), Math.Max(a.Y, a.Y + a.Height));

    /// <summary>Overlap including touching edges: a word that merely grazes a box is dropped too.</summary>
    private static bool Touches(PdfRectangle a, PdfRectangle b)
    {
        double bl = Math.Min(b.Left, b.Right), br = Math.Max(b.Left, b.Right), bb = Math.Min(b.Bottom, b.Top), bt = Math.Max(b.Bottom, b.Top);
        return bl <= a.Right && br >= a.Left && bb <= a.Top && bt >= a.Bottom;
    }

    /// <summary>Text off the visible page was never seen by the clerk who drew the boxes, so it does not come along.</summary>
    private static bool Inside(PdfRectangle crop, PdfRectangle word) =>
        Math.Min(word.Left, word.Right) >= crop.Left - 1 && Math.Max(word.Left, word.Right) <= crop.Right + 1
        && Math.Min(word.Bottom, word.Top) >= crop.Bottom - 1 && Math.Max(word.Bottom, word.Top) <= crop.Top + 1;

    private static bool Contains(PdfRectangle a, PdfPoint p) => p.X >= a.Left && p.X <= a.Right && p.Y >= a.Bottom && p.Y <= a.Top;

    /// <summary>Without control characters and white space; NFC.</summary>
    private static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsControl(rune) && !Rune.IsWhiteSpace(rune))
                sb.Append(rune.ToString());
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// The displayed page (crop box, /Rotate applied): its size in points and the map from the original's user space onto it.
    /// </summary>
    private sealed record PageGeometry(double Width, double Height, double[] UserSpaceToPage)
    {
        public static PageGeometry Of(Page page)
        {
            var crop = page.CropBox.Bounds;
            double w = crop.Width, h = crop.Height, x0 = crop.Left, y0 = crop.Bottom;
            // x' = a·x + c·y + e, y' = b·x + d·y + f, after moving the crop box's corner to the origin.
            var rotation = ((page.Rotation.Value % 360) + 360) % 360;
            double[] m = rotation switch
            {
                90 => [0, -1, 1, 0, -y0, w + x0],
                180 => [-1, 0, 0, -1, w + x0, h + y0],
                270 => [0, 1, -1, 0, h + y0, -x0],
                _ => [1, 0, 0, 1, -x0, -y0],
            };
            var quarter = page.Rotation.Value % 180 != 0;
            return new PageGeometry(quarter ? h : w, quarter ? w : h, m);
        }

        /// <summary>Ghostscript's raster must be this page at <see cref="Dpi"/>, else the boxes would land elsewhere.</summary>
        public void Check(int width, int height, int number)
        {
            double ew = Width * Dpi / 72, eh = Height * Dpi / 72;
            if (Math.Abs(width - ew) > 2 || Math.Abs(height - eh) > 2)
                throw new InvalidOperationException(
                    $"page {number}: Ghostscript rendered {width}x{height} pixels, the page geometry gives {ew:F0}x{eh:F0}; no copy is made");
        }

        /// <summary>The area's pixels (left, top, right, bottom exclusive), widened by <paramref name="bleed"/> and clamped to the image.</summary>
        public (int Left, int Top, int Right, int Bottom) ToPixels(PdfRectangle area, int width, int height, int bleed)
        {
            double sx = width / Width, sy = height / Height;
            static int Clamp(double v, int max) => (int)Math.Clamp(v, 0, max);
            return (Clamp(Math.Floor(area.Left * sx) - bleed, width), Clamp(Math.Floor((Height - area.Top) * sy) - bleed, height),
                Clamp(Math.Ceiling(area.Right * sx) + bleed, width), Clamp(Math.Ceiling((Height - area.Bottom) * sy) + bleed, height));
        }

        /// <summary>A displayed area in the original's user space (the inverse of <see cref="UserSpaceToPage"/>).</summary>
        public PdfRectangle ToUserSpace(PdfRectangle area)
        {
            var m = UserSpaceToPage;
            var det = m[0] * m[3] - m[1] * m[2];
            double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
            foreach (var (px, py) in new[] { (area.Left, area.Bottom), (area.Left, area.Top), (area.Right, area.Bottom), (area.Right, area.Top) })
            {
                double dx = px - m[4], dy = py - m[5];
                double x = (m[3] * dx - m[2] * dy) / det, y = (-m[1] * dx + m[0] * dy) / det;
                (minX, maxX, minY, maxY) = (Math.Min(minX, x), Math.Max(maxX, x), Math.Min(minY, y), Math.Max(maxY, y));
            }

            return new PdfRectangle(minX, minY, maxX, maxY);
        }
    }

    /// <summary>A binary PPM (P6, 8 bit) as Ghostscript's ppmraw writes it.</summary>
    private sealed class Ppm(int width, int height, byte[] data, int offset)
    {
        public int Width { get; } = width;
        public int Height { get; } = height;

        public static Ppm Read(string path)
        {
            var data = File.ReadAllBytes(path);
            var pos = 0;
            string Token()
            {
                while (pos < data.Length && (char.IsWhiteSpace((char)data[pos]) || data[pos] == '#'))
                {
                    if (data[pos] == '#')
                        while (pos < data.Length && data[pos] != '\n')
                            pos++;
                    else
                        pos++;
                }
                var start = pos;
                while (pos < data.Length && !char.IsWhiteSpace((char)data[pos]))
                    pos++;
                return Encoding.ASCII.GetString(data, start, pos - start);
            }
            if (Token() != "P6")
                throw new InvalidDataException($"{Path.GetFileName(path)} is not a binary PPM");
            int width = int.Parse(Token(), CultureInfo.InvariantCulture), height = int.Parse(Token(), CultureInfo.InvariantCulture);
            if (Token() != "255")
                throw new InvalidDataException($"{Path.GetFileName(path)} is not an 8-bit PPM");
            pos++; // the single white space before the pixels
            if ((long)width * height * 3 != data.Length - pos)
                throw new InvalidDataException($"{Path.GetFileName(path)}: {data.Length - pos} bytes of pixels for {width}x{height}");
            return new Ppm(width, height, data, pos);
        }

        public void Blacken((int Left, int Top, int Right, int Bottom) box)
        {
            for (var y = box.Top; y < box.Bottom; y++)
                data.AsSpan(offset + 3 * (y * Width + box.Left), 3 * (box.Right - box.Left)).Clear();
        }

        /// <summary>The pixels as PDF rows: one gray component where every pixel is gray (most letters and forms), else RGB.</summary>
        public (int Components, byte[] Rows) Rows()
        {
            var rgb = data.AsSpan(offset);
            for (var i = 0; i < rgb.Length; i += 3)
            {
                if (rgb[i] != rgb[i + 1] || rgb[i] != rgb[i + 2])
                    return (3, rgb.ToArray());
            }
            var gray = new byte[Width * Height];
            for (var i = 0; i < gray.Length; i++)
                gray[i] = rgb[3 * i];
            return (1, gray);
        }
    }
}
