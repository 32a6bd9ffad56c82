using System.IO;
using ECase.Infrastructure.Ocr;

namespace ECase.Infrastructure.Pdf;

/// <summary>
/// Image files (PNG, TIFF with one page per frame, JPEGs that DCTDecode cannot take) as PDF/A-2b, one full page per image at
/// the image's resolution (ADR 0017). Decoded with leptonica after the same structure and size checks as for OCR; embedded
/// losslessly (Flate) as 1-bit gray (bilevel scans stay bilevel), 8-bit gray or 8-bit RGB; a colour map is resolved and
/// an alpha channel blended onto white, since PDF/A-2b pages must not depend on transparency we do not need.
/// </summary>
internal static class RasterPdfAWriter
{
    /// <summary>Writes all pages; returns their number.</summary>
    /// <exception cref="ECase.Application.Scanning.OcrInputException">unreadable, unsupported or too large image.</exception>
    public static int Write(string path, TesseractOcrOptions options, DocumentMetadata metadata, Stream output, CancellationToken ct)
    {
        var file = OcrImageFile.Read(path, options);
        var pdf = new PdfAComposer(output, metadata);
        for (var i = 0; i < file.PageCount; i++)
        {
            ct.ThrowIfCancellationRequested();
            using var pix = file.DecodePage(i, options, keepBilevel: true);
            int width = LeptonicaNative.pixGetWidth(pix), height = LeptonicaNative.pixGetHeight(pix);
            var (dpiX, dpiY) = ImagePages.Resolution(LeptonicaNative.pixGetXRes(pix), LeptonicaNative.pixGetYRes(pix), options.DefaultDpi);
            (dpiX, dpiY) = ImagePages.Fit(width, height, dpiX, dpiY);
            var (components, bits, rows) = Rows(pix, width, height);
            var image = pdf.AddImage(width, height, components, bits, rows);
            double pageWidth = width * 72.0 / dpiX, pageHeight = height * 72.0 / dpiY;
            var content = new PageContent();
            content.Image(image, 0, 0, pageWidth, pageHeight);
            pdf.AddPage(pageWidth, pageHeight, content);
        }
        pdf.Finish();
        return file.PageCount;
    }

    /// <summary>
    /// The pixels as PDF image rows. Leptonica keeps a row in 32-bit words, the first pixel in the most significant bits, so
    /// reading each word big-endian gives the bytes in PDF order; 1 bpp means black in leptonica and white in DeviceGray.
    /// </summary>
    private static unsafe (int Components, int Bits, byte[] Rows) Rows(PixHandle pix, int width, int height)
    {
        var depth = LeptonicaNative.pixGetDepth(pix);
        var wpl = LeptonicaNative.pixGetWpl(pix);
        var data = LeptonicaNative.pixGetData(pix);
        if (data == IntPtr.Zero)
            throw new InvalidOperationException("leptonica returned an image without data");
        var words = new ReadOnlySpan<uint>((void*)data, checked(wpl * height));
        switch (depth)
        {
            case 1:
                {
                    var rowBytes = (width + 7) / 8;
                    var rows = new byte[checked(rowBytes * height)];
                    for (var y = 0; y < height; y++)
                    {
                        for (var b = 0; b < rowBytes; b++)
                            rows[y * rowBytes + b] = (byte)~(words[y * wpl + b / 4] >> (24 - 8 * (b % 4)));
                    }
                    return (1, 1, rows);
                }
            case 8:
                {
                    var rows = new byte[checked(width * height)];
                    for (var y = 0; y < height; y++)
                    {
                        for (var x = 0; x < width; x++)
                            rows[y * width + x] = (byte)(words[y * wpl + x / 4] >> (24 - 8 * (x % 4)));
                    }
                    return (1, 8, rows);
                }
            case 32:
                {
                    var rows = new byte[checked(3 * width * height)];
                    for (var y = 0; y < height; y++)
                    {
                        for (var x = 0; x < width; x++)
                        {
                            var word = words[y * wpl + x];
                            var at = 3 * (y * width + x);
                            rows[at] = (byte)(word >> 24);
                            rows[at + 1] = (byte)(word >> 16);
                            rows[at + 2] = (byte)(word >> 8);
                        }
                    }
                    return (3, 8, rows);
                }
            default:
                throw new InvalidOperationException($"leptonica returned a {depth} bpp image after conversion");
        }
    }
}

/// <summary>Resolution and page size of an image shown as a full page.</summary>
internal static class ImagePages
{
    private const double MinSide = 3, MaxSide = 14400; // points; ISO 32000-1 Annex C, adopted by PDF/A-2 6.1.13

    /// <summary>The stored resolution where plausible (50–2400 dpi; one axis may stand in for the other), else the default.</summary>
    public static (int X, int Y) Resolution(int x, int y, int defaultDpi)
    {
        static bool Plausible(int dpi) => dpi is >= 50 and <= 2400;
        if (!Plausible(x) && !Plausible(y))
            return (defaultDpi, defaultDpi);
        return (Plausible(x) ? x : y, Plausible(y) ? y : x);
    }

    /// <summary>
    /// The resolution scaled by one factor (keeping the aspect ratio) when the page would lie outside the PDF page size limits
    /// (3 to 14 400 pt a side).
    /// </summary>
    /// <exception cref="FormatException">the image is too elongated to fit any page.</exception>
    public static (int X, int Y) Fit(int width, int height, int dpiX, int dpiY)
    {
        double Side(int pixels, int dpi) => pixels * 72.0 / dpi;
        var longest = Math.Max(Side(width, dpiX), Side(height, dpiY));
        var shortest = Math.Min(Side(width, dpiX), Side(height, dpiY));
        if (longest > MaxSide)
        {
            var factor = longest / MaxSide;
            (dpiX, dpiY) = ((int)Math.Ceiling(dpiX * factor), (int)Math.Ceiling(dpiY * factor));
        }
        else if (shortest < MinSide)
        {
            var factor = shortest / MinSide;
            (dpiX, dpiY) = (Math.Max(1, (int)Math.Floor(dpiX * factor)), Math.Max(1, (int)Math.Floor(dpiY * factor)));
        }
        foreach (var side in new[] { Side(width, dpiX), Side(height, dpiY) })
        {
            if (side is < MinSide or > MaxSide)
                throw new FormatException($"an image of {width} x {height} pixels does not fit a PDF page (3 to 14400 pt a side)");
        }
        return (dpiX, dpiY);
    }

    /// <summary>The density of a JPEG's JFIF header in dots per inch, or (0, 0) when it has none.</summary>
    public static (int X, int Y) JfifDensity(ReadOnlySpan<byte> jpeg)
    {
        var pos = 2;
        while (pos + 4 <= jpeg.Length && jpeg[pos] == 0xFF)
        {
            var marker = jpeg[pos + 1];
            var length = (jpeg[pos + 2] << 8) | jpeg[pos + 3];
            if (marker is 0xDA or 0xD9 || length < 2 || pos + 2 + length > jpeg.Length)
                break;
            var segment = jpeg.Slice(pos + 4, length - 2);
            if (marker == 0xE0 && segment.Length >= 12 && segment[..5].SequenceEqual("JFIF\0"u8))
            {
                int units = segment[7], x = (segment[8] << 8) | segment[9], y = (segment[10] << 8) | segment[11];
                return units switch
                {
                    1 => (x, y),
                    2 => ((int)Math.Round(x * 2.54), (int)Math.Round(y * 2.54)),
                    _ => (0, 0),
                };
            }
            pos += 2 + length;
        }
        return (0, 0);
    }
}
