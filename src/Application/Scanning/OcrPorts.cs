namespace ECase.Application.Scanning;

/// <summary>One recognized word; box in pixels of the deskewed page image, origin top left.</summary>
public sealed record OcrWord(string Text, int Left, int Top, int Width, int Height, float Confidence, int Block, int Line);

/// <summary>
/// One page after deskew and recognition: the text in reading order (lines separated by '\n', paragraphs by a blank line),
/// Tesseract's mean confidence (0–100), the skew that was removed (degrees), the word boxes, and the deskewed page image
/// as JPEG (8-bit grayscale or RGB) that the word boxes refer to.
/// </summary>
public sealed record OcrPage(
    int Number, string Text, float MeanConfidence, double DeskewAngle, int WidthPx, int HeightPx, int DpiX, int DpiY,
    IReadOnlyList<OcrWord> Words, byte[] JpegImage);

/// <summary>The input cannot be recognised: not an image, truncated, too large (decompression bomb), page out of range.</summary>
public sealed class OcrInputException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>OCR engine (Tesseract 5 through its C API). Thread-safe; uses a pool of engines, one per worker.</summary>
public interface IOcrEngine
{
    /// <summary>Number of pages of an image file (multi-page TIFF, or 1 for PNG/JPEG/single TIFF); checks size limits from the header.</summary>
    int CountPages(string imagePath);

    /// <summary>Deskews and recognises page <paramref name="pageIndex"/> (0-based) of the image file.</summary>
    Task<OcrPage> RecognizeAsync(string imagePath, int pageIndex, string language, CancellationToken ct);
}

public sealed record PdfAMetadata(string Title, string Author, string Subject, DateTimeOffset Created);

/// <summary>Writes PDF/A-2b renditions.</summary>
public interface IPdfAWriter
{
    /// <summary>A searchable PDF/A-2b: each page the page image, with an invisible text layer on the word boxes.</summary>
    void WriteSearchable(IReadOnlyList<OcrPage> pages, PdfAMetadata metadata, System.IO.Stream output);
}

/// <summary>Turns born-digital PDFs into PDF/A-2b (Ghostscript); the original stays as it is.</summary>
public interface IPdfAConverter
{
    /// <summary>True when the PDF declares PDF/A conformance in its XMP metadata.</summary>
    bool IsPdfA(string path);

    /// <summary>Writes a PDF/A-2b copy of <paramref name="input"/> to <paramref name="output"/>.</summary>
    /// <exception cref="PdfConversionException">the PDF cannot be converted (malformed, encrypted, timeout).</exception>
    Task ConvertAsync(string input, string output, CancellationToken ct);
}

public sealed class PdfConversionException(string message) : Exception(message);

/// <summary>Turns an image-only PDF (a scanner's output) into a multi-page TIFF that the OCR engine reads.</summary>
public interface IPdfRasterizer
{
    /// <summary>Page count of the PDF; refuses unreadable PDFs and pages that would exceed <paramref name="maxPixels"/> at <paramref name="dpi"/>.</summary>
    /// <exception cref="OcrInputException">not a readable PDF, or a page too large.</exception>
    int CountPages(string pdfPath, int dpi, long maxPixels);

    Task RasterizeAsync(string pdfPath, string tiffPath, int dpi, CancellationToken ct);
}
