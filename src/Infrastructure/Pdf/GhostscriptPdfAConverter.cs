using System.Diagnostics;
using System.Text;
using ECase.Application.Scanning;
using PigDocument = UglyToad.PdfPig.PdfDocument;

namespace ECase.Infrastructure.Pdf;

/// <summary>
/// PDF/A-2b renditions of born-digital PDFs with Ghostscript's pdfwrite (<c>-dPDFA=2</c>, RGB colour conversion, the same
/// sRGB output intent as our own writer). Runs <c>gs -dSAFER</c> in a child process with a time limit; scripts, actions
/// and JavaScript of the input do not survive pdfwrite.
/// </summary>
public sealed class GhostscriptPdfAConverter(TimeProvider? clock = null) : IPdfAConverter, IPdfRasterizer
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Messages of Ghostscript 10's PDF interpreter that mean the input was not read at all (as opposed to repaired).</summary>
    private static readonly string[] FatalReadErrors = ["Couldn't initialise file", "No pages will be processed"];

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public bool IsPdfA(string path)
    {
        try
        {
            using var pdf = PigDocument.Open(path);
            if (!pdf.TryGetXmpMetadata(out var xmp)) return false;
            // PdfPig decodes XMP as Latin-1; the markers we look for are ASCII either way.
            var xml = Encoding.UTF8.GetString(xmp.GetXmlBytes().ToArray());
            return xml.Contains("pdfaid:part", StringComparison.Ordinal) && xml.Contains("http://www.aiim.org/pdfa/ns/id/", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    public async Task ConvertAsync(string input, string output, CancellationToken ct)
    {
        var work = Path.Combine(Path.GetTempPath(), $"ecase-gs-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var icc = Path.Combine(work, "srgb.icc");
            await File.WriteAllBytesAsync(icc, Resources.Load("sRGB.icc"), ct);
            var def = Path.Combine(work, "pdfa_def.ps");
            await File.WriteAllTextAsync(def, PdfADefinition(icc), ct);
            var dates = Path.Combine(work, "dates.ps");
            await File.WriteAllTextAsync(dates, DateDefinition(_clock.GetUtcNow()), ct);

            var messages = await RunAsync(
            [
                "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dNOOUTERSAVE", "-sDEVICE=pdfwrite", "-dPDFA=2", "-dPDFACompatibilityPolicy=1",
                "-sColorConversionStrategy=RGB", "-sProcessColorModel=DeviceRGB", $"--permit-file-read={work}/", $"-sOutputFile={output}", def, input, dates,
            ], output, ct);
            // Ghostscript still writes a (blank) page and exits with 0 when it cannot make sense of the file at all.
            if (FatalReadErrors.Any(m => messages.Contains(m, StringComparison.Ordinal)))
                throw new PdfConversionException($"Ghostscript could not read the PDF: {Shorten(messages)}");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public int CountPages(string pdfPath, int dpi, long maxPixels)
    {
        try
        {
            using var pdf = PigDocument.Open(pdfPath);
            if (pdf.NumberOfPages < 1) throw new OcrInputException("image-unreadable", "The PDF has no pages.");
            for (var i = 1; i <= pdf.NumberOfPages; i++)
            {
                var page = pdf.GetPage(i);
                var pixels = page.Width / 72.0 * dpi * (page.Height / 72.0 * dpi);
                if (pixels > maxPixels)
                    throw new OcrInputException("image-too-large", $"Page {i} would be {pixels / 1e6:F0} megapixels at {dpi} dpi; the limit is {maxPixels / 1e6:F0}.");
            }

            return pdf.NumberOfPages;
        }
        catch (Exception e) when (e is not OcrInputException and not OutOfMemoryException)
        {
            throw new OcrInputException("image-unreadable", $"The PDF cannot be read: {e.Message}");
        }
    }

    public async Task RasterizeAsync(string pdfPath, string tiffPath, int dpi, CancellationToken ct) =>
        _ = await RunAsync(
            ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffgray", "-sCompression=lzw", $"-r{dpi}", $"-sOutputFile={tiffPath}", pdfPath],
            tiffPath, ct);

    /// <summary>
    /// Renders every page (its crop box, /Rotate applied) to <c>page-1.ppm</c>, <c>page-2.ppm</c> … in <paramref name="directory"/>:
    /// 8-bit RGB, no anti-aliasing, so a pixel is either drawn by the page's content or not.
    /// </summary>
    internal static Task RasterizePagesAsync(string pdfPath, string directory, int dpi, CancellationToken ct) =>
        RunAsync(
            ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=ppmraw", "-dUseCropBox", "-dTextAlphaBits=1", "-dGraphicsAlphaBits=1", $"-r{dpi}",
             $"-sOutputFile={Path.Combine(directory, "page-%d.ppm")}", pdfPath],
            Path.Combine(directory, "page-1.ppm"), ct);

    /// <summary>One page (crop box, /Rotate applied) as an anti-aliased 24-bit PNG, for showing on screen.</summary>
    internal static Task RenderPngAsync(string pdfPath, int page, int dpi, string pngPath, CancellationToken ct) =>
        RunAsync(
            ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", "-dUseCropBox", "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4", $"-r{dpi}",
             $"-dFirstPage={page}", $"-dLastPage={page}", $"-sOutputFile={pngPath}", pdfPath],
            pngPath, ct);

    /// <summary>Runs gs; returns what it printed. Throws when it fails or writes no output.</summary>
    private static async Task<string> RunAsync(string[] args, string output, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("gs") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new PdfConversionException("Ghostscript did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Ghostscript ('gs', Debian package ghostscript) is not installed.", e);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(ct);
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (ct.IsCancellationRequested) throw;
                throw new PdfConversionException($"Ghostscript took longer than {Timeout.TotalMinutes} minutes.");
            }

            var messages = (await stdout + await stderr).Trim();
            if (process.ExitCode != 0 || !File.Exists(output) || new FileInfo(output).Length == 0)
                throw new PdfConversionException($"Ghostscript failed (exit {process.ExitCode}): {Shorten(messages)}");
            return messages;
        }
    }

    private static string Shorten(string s) => s.Length <= 500 ? s : s[..500] + "…";

    /// <summary>
    /// The rendition's dates, set after the input so that they win over the input's own. Left to itself Ghostscript writes UTC
    /// as <c>D:…Z00'00'</c> in Info and <c>…Z</c> in XMP, which PDFBox Preflight reports as not matching (PDF/A 6.6.2.3);
    /// an explicit <c>+00'00'</c> gives <c>+00:00</c> in XMP and leaves no doubt.
    /// </summary>
    private static string DateDefinition(DateTimeOffset now)
    {
        var date = PdfSyntax.PdfDate(PdfSyntax.ToSeconds(now.ToUniversalTime()));
        return $"%!\n[ /CreationDate ({date}) /ModDate ({date}) /DOCINFO pdfmark\n";
    }

    /// <summary>The PostScript prologue that gives the PDF/A its output intent (after Ghostscript's lib/PDFA_def.ps).</summary>
    private static string PdfADefinition(string iccPath) => $$"""
        %!
        /ICCProfile ({{iccPath}}) def
        [/_objdef {icc_PDFA} /type /stream /OBJ pdfmark
        [{icc_PDFA} << /N 3 >> /PUT pdfmark
        [{icc_PDFA} ICCProfile (r) file /PUT pdfmark
        [/_objdef {OutputIntent_PDFA} /type /dict /OBJ pdfmark
        [{OutputIntent_PDFA} <<
          /Type /OutputIntent
          /S /GTS_PDFA1
          /DestOutputProfile {icc_PDFA}
          /OutputConditionIdentifier (sRGB IEC61966-2.1)
          /Info (sRGB IEC61966-2.1)
        >> /PUT pdfmark
        [{Catalog} << /OutputIntents [ {OutputIntent_PDFA} ] >> /PUT pdfmark
        """;
}
