namespace ECase.Infrastructure.Ocr;

/// <summary>Configuration of <see cref="TesseractOcrEngine"/> (section <c>Ocr</c>).</summary>
public sealed class TesseractOcrOptions
{
    public const string Section = "Ocr";

    /// <summary>The tessdata folder (holding <c>deu.traineddata</c> …). Default: <c>$TESSDATA_PREFIX</c>, else Debian's path.</summary>
    public string TessDataPath { get; set; } =
        System.Environment.GetEnvironmentVariable("TESSDATA_PREFIX") is { Length: > 0 } prefix
            ? prefix
            : "/usr/share/tesseract-ocr/5/tessdata";

    /// <summary>Number of Tesseract engines, i.e. pages recognised in parallel (each ~1 core, ~100 MB). Default: processor count.</summary>
    public int PoolSize { get; set; } = System.Environment.ProcessorCount;

    /// <summary>Largest page (width × height, from the header, checked before decoding). Default 120 megapixels.</summary>
    public long MaxPixels { get; set; } = 120_000_000;

    /// <summary>Largest image file; it is read into memory. Default 256 MB.</summary>
    public long MaxFileBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Most pages in one multi-page TIFF. Default 2000.</summary>
    public int MaxPages { get; set; } = 2000;

    /// <summary>Quality of <see cref="ECase.Application.Scanning.OcrPage.JpegImage"/> (1–100). Default 80.</summary>
    public int JpegQuality { get; set; } = 80;

    /// <summary>Resolution assumed when the image does not store a plausible one (outside 50–2400 dpi). Default 300.</summary>
    public int DefaultDpi { get; set; } = 300;

    /// <summary>Upper bound for the recognition of one page; then <c>recognition-timeout</c>. Default 5 minutes.</summary>
    public TimeSpan PageTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
