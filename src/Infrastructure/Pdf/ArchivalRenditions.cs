using System.IO;
using System.Text;
using ECase.Application.Disposal;
using ECase.Application.Scanning;
using ECase.Infrastructure.Ocr;
using Microsoft.Extensions.Options;

namespace ECase.Infrastructure.Pdf;

/// <summary>
/// PDF/A-2b renditions for the transfer to the archive (ADR 0017): PDFs through Ghostscript (none if PDF/A already), JPEG
/// embedded as it is, PNG and TIFF decoded with leptonica and embedded losslessly, plain text set in DejaVu Sans Mono.
/// Anything else is <see cref="ArchivalOutcome.Unsupported"/>: the original goes to the archive as it is.
/// Stateless and thread-safe; register as a singleton.
/// </summary>
public sealed class ArchivalRenditions(IPdfAConverter pdfConverter, IOptions<TesseractOcrOptions> imageOptions, TimeProvider clock)
    : IArchivalRenditions
{
    /// <summary>Info /Creator and xmp:CreatorTool of the renditions we write ourselves.</summary>
    public const string CreatorTool = "ECase archival rendition";

    /// <summary>Info /Producer and pdf:Producer of the PDF/A files composed here (text, PNG, TIFF, the disposal certificate).</summary>
    public const string Producer = "ECase PDF/A writer";

    /// <summary>Largest text file laid out (about 4 000 pages); larger ones fail rather than tie up a worker.</summary>
    public const long MaxTextBytes = 16L * 1024 * 1024;

    private static readonly Dictionary<string, Kind> Kinds = new(StringComparer.Ordinal)
    {
        ["application/pdf"] = Kind.Pdf,
        ["image/jpeg"] = Kind.Jpeg,
        ["image/jpg"] = Kind.Jpeg,
        ["image/pjpeg"] = Kind.Jpeg,
        ["image/png"] = Kind.Raster,
        ["image/tiff"] = Kind.Raster,
        ["image/tif"] = Kind.Raster,
        ["text/plain"] = Kind.Text,
    };

    private enum Kind
    {
        Pdf,
        Jpeg,
        Raster,
        Text,
    }

    public bool CanMake(string mediaType) => Kinds.ContainsKey(Parse(mediaType).Type);

    public async Task<ArchivalResult> MakeAsync(string inputPath, string mediaType, string title, string outputPath, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var (type, charset) = Parse(mediaType);
        if (!Kinds.TryGetValue(type, out var kind))
            return new ArchivalResult(ArchivalOutcome.Unsupported,
                $"No PDF/A rendition for {(type.Length > 0 ? type : "an unknown media type")}; the original is transferred as it is.");
        if (!File.Exists(inputPath))
            return new ArchivalResult(ArchivalOutcome.Failed, $"The original {Path.GetFileName(inputPath)} is missing.");

        if (kind == Kind.Pdf)
            return await MakeFromPdfAsync(inputPath, outputPath, ct);

        var metadata = new PdfAMetadata(title, "", "", clock.GetUtcNow());
        try
        {
            var result = await Task.Run(() =>
            {
                using var output = new FileStream(outputPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                return kind switch
                {
                    Kind.Jpeg => FromJpeg(inputPath, metadata, output, ct),
                    Kind.Raster => FromRaster(inputPath, metadata, output, ct),
                    _ => FromText(inputPath, charset, metadata, output),
                };
            }, ct);
            if (result.Outcome != ArchivalOutcome.Made)
                File.Delete(outputPath);
            return result;
        }
        catch (Exception e) when (e is OcrInputException or FormatException or ArgumentException or InvalidDataException or IOException)
        {
            File.Delete(outputPath);
            return new ArchivalResult(ArchivalOutcome.Failed, e.Message);
        }
        catch
        {
            File.Delete(outputPath);
            throw;
        }
    }

    private async Task<ArchivalResult> MakeFromPdfAsync(string inputPath, string outputPath, CancellationToken ct)
    {
        if (pdfConverter.IsPdfA(inputPath))
            return new ArchivalResult(ArchivalOutcome.AlreadyArchival, "The PDF declares PDF/A conformance; the original serves as the archival format.");
        try
        {
            await pdfConverter.ConvertAsync(inputPath, outputPath, ct);
            return new ArchivalResult(ArchivalOutcome.Made, null);
        }
        catch (PdfConversionException e)
        {
            File.Delete(outputPath);
            return new ArchivalResult(ArchivalOutcome.Failed, e.Message);
        }
        catch
        {
            File.Delete(outputPath);
            throw;
        }
    }

    private ArchivalResult FromJpeg(string inputPath, PdfAMetadata metadata, Stream output, CancellationToken ct)
    {
        var options = imageOptions.Value;
        if (new FileInfo(inputPath).Length > options.MaxFileBytes)
            throw new OcrInputException("image-too-large", $"{Path.GetFileName(inputPath)} is larger than {options.MaxFileBytes} bytes.");
        var jpeg = File.ReadAllBytes(inputPath);
        JpegInfo info;
        try
        {
            info = JpegInfo.Parse(jpeg);
        }
        catch (FormatException e)
        {
            // CMYK, 12-bit, arithmetic-coded …: decoded and embedded losslessly instead of as it is.
            var result = FromRaster(inputPath, metadata, output, ct);
            return result with { Reason = $"The JPEG could not be embedded as it is ({e.Message}); its decoded pixels were embedded." };
        }
        if ((long)info.Width * info.Height > options.MaxPixels)
            throw new OcrInputException("image-too-large", $"{Path.GetFileName(inputPath)}: {info.Width} x {info.Height} pixels is more than the limit.");
        var (x, y) = ImagePages.JfifDensity(jpeg);
        var stored = ImagePages.Resolution(x, y, options.DefaultDpi);
        var (dpiX, dpiY) = ImagePages.Fit(info.Width, info.Height, stored.X, stored.Y);
        var page = new OcrPage(1, "", 0, 0, info.Width, info.Height, dpiX, dpiY, [], jpeg);
        new SearchablePdfAWriter().WriteSearchable([page], metadata, output, CreatorTool);
        return new ArchivalResult(ArchivalOutcome.Made, null);
    }

    private ArchivalResult FromRaster(string inputPath, PdfAMetadata metadata, Stream output, CancellationToken ct)
    {
        var pages = RasterPdfAWriter.Write(inputPath, imageOptions.Value, Metadata(metadata), output, ct);
        return new ArchivalResult(ArchivalOutcome.Made, pages > 1 ? $"{pages} pages" : null);
    }

    private static ArchivalResult FromText(string inputPath, string? charset, PdfAMetadata metadata, Stream output)
    {
        var length = new FileInfo(inputPath).Length;
        if (length > MaxTextBytes)
            return new ArchivalResult(ArchivalOutcome.Failed, $"The text file has {length} bytes, more than the {MaxTextBytes} laid out as PDF/A.");
        var (text, encoding) = TextDecoding.Decode(File.ReadAllBytes(inputPath), charset);
        var missing = PlainTextPdfAWriter.Write(text, Metadata(metadata), output);
        var remarks = new List<string>();
        if (encoding is not null)
            remarks.Add($"Read as {encoding}.");
        if (missing.Count > 0)
            remarks.Add($"{missing.Count} distinct characters have no glyph in DejaVu Sans Mono and are shown as \uFFFD (text extraction still gives them): " +
                string.Join(" ", missing.Take(10).Select(r => $"U+{r.Value:X4}")) + (missing.Count > 10 ? " …" : ""));
        return new ArchivalResult(ArchivalOutcome.Made, remarks.Count > 0 ? string.Join(" ", remarks) : null);
    }

    private static DocumentMetadata Metadata(PdfAMetadata m) => DocumentMetadata.Create(m.Title, m.Author, m.Subject, m.Created, CreatorTool, Producer);

    /// <summary>The media type in lower case without parameters, and the charset parameter if any.</summary>
    private static (string Type, string? Charset) Parse(string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(mediaType))
            return ("", null);
        var parts = mediaType.Split(';');
        string? charset = null;
        foreach (var parameter in parts.Skip(1))
        {
            var eq = parameter.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && parameter[..eq].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
                charset = parameter[(eq + 1)..].Trim().Trim('"');
        }
        return (parts[0].Trim().ToLowerInvariant(), charset);
    }
}

/// <summary>Bytes of a text file to text: a byte order mark wins, then a declared charset, then UTF-8 if valid, else Windows-1252.</summary>
internal static class TextDecoding
{
    /// <summary>The text, and the encoding's name when it was not UTF-8 (for the result's remark). UTF-16 needs its byte order mark.</summary>
    public static (string Text, string? Encoding) Decode(byte[] bytes, string? charset)
    {
        if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
            return (Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2), "UTF-16LE");
        if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
            return (Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2), "UTF-16BE");
        if (bytes is not [0xEF, 0xBB, 0xBF, ..] && charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase)
            && Named(charset) is { } declared)
            return (declared.GetString(bytes), declared.WebName);
        var bom = bytes is [0xEF, 0xBB, 0xBF, ..] ? 3 : 0;
        try
        {
            return (new UTF8Encoding(false, true).GetString(bytes, bom, bytes.Length - bom), null);
        }
        catch (DecoderFallbackException)
        {
            return (CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetString(bytes, bom, bytes.Length - bom), "windows-1252 (not valid UTF-8)");
        }
    }

    private static Encoding? Named(string name)
    {
        try
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
