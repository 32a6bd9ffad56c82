using System.Diagnostics;
using System.Globalization;
using ECase.Application.Scanning;
using ECase.Infrastructure.Ocr;
using ECase.Infrastructure.Pdf;
using Microsoft.Extensions.Options;

namespace ECase.Bench;

/// <summary>
/// Diagnostic phase <c>profile</c> (only with <c>--phases profile</c>): one page at a time, one core, CPU seconds of each
/// step the pipeline does per page — decode, leptonica deskew, JPEG encoding (measured separately with the same calls
/// and settings as the engine), the engine's whole RecognizeAsync, the PDF/A writer — next to the Tesseract CLI on the
/// same page and on the deskewed page. "recognise" is the engine's total minus decode, deskew and JPEG.
/// </summary>
public static class OcrProfilePhase
{
    public static async Task RunAsync(OcrOptions o, OcrCorpus corpus, string warmUpPng, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        var env = new Dictionary<string, string> { ["OMP_THREAD_LIMIT"] = "1" };
        var engineOptions = new TesseractOcrOptions { PoolSize = 1 };
        using var engine = new TesseractOcrEngine(Options.Create(engineOptions));
        var pdf = new SearchablePdfAWriter();
        var tesseract = Tool.Which("tesseract");
        var temp = Names.TempDirectory("ecase-bench-ocr-profile");
        try
        {
            await engine.RecognizeAsync(warmUpPng, 0, "deu", ct); // loads the model
            if (tesseract is not null) await Tool.RunAsync(tesseract, [warmUpPng, "-", "-l", "deu"], env, ct);
            Console.WriteLine("[profile] cpu seconds per page, one page at a time (wall seconds in brackets where they differ from cpu by more than 20 %)");
            Console.WriteLine("[profile]   page                    decode deskew   jpeg recognise engine-total    pdf |    cli cli-deskewed | skew");
            var sums = new double[8];
            foreach (var page in corpus.Pages)
            {
                var steps = OcrImages.Profile(page.File.Path, page.Index, engineOptions.JpegQuality);

                var (c0, _) = OcrCpuMeter.CpuSeconds();
                var w0 = Stopwatch.GetTimestamp();
                var result = await engine.RecognizeAsync(page.File.Path, page.Index, "deu", ct);
                var engineCpu = OcrCpuMeter.CpuSeconds().Self - c0;
                var engineWall = Stopwatch.GetElapsedTime(w0).TotalSeconds;

                var (p0, _) = OcrCpuMeter.CpuSeconds();
                using (var ms = new System.IO.MemoryStream()) pdf.WriteSearchable([result], new PdfAMetadata("profile", "bench", "Scan", DateTimeOffset.UtcNow), ms);
                var pdfCpu = OcrCpuMeter.CpuSeconds().Self - p0;

                double cli = double.NaN, cliDeskewed = double.NaN;
                if (tesseract is not null)
                {
                    var input = page.File.Path;
                    if (page.File.PageCount > 1)
                    {
                        input = System.IO.Path.Combine(temp, $"{page.File.Stem}.p{page.Index + 1}.png");
                        OcrImages.WritePageAsPng(page.File.Path, page.Index, input);
                    }
                    cli = await ChildCpuAsync(tesseract, input, env, ct);
                    var deskewed = System.IO.Path.Combine(temp, "deskewed.png");
                    await System.IO.File.WriteAllBytesAsync(deskewed, steps.DeskewedPng, ct);
                    cliDeskewed = await ChildCpuAsync(tesseract, deskewed, env, ct);
                }

                var recognise = engineCpu - steps.DecodeS - steps.DeskewS - steps.JpegS;
                double[] row = [steps.DecodeS, steps.DeskewS, steps.JpegS, recognise, engineCpu, pdfCpu, cli, cliDeskewed];
                for (var i = 0; i < row.Length; i++) sums[i] += row[i];
                var wall = Math.Abs(engineWall - engineCpu) > 0.2 * engineCpu ? $" ({engineWall:0.00})" : "";
                Console.WriteLine(string.Create(inv,
                    $"[profile]   {page.Label,-22} {row[0],6:0.00} {row[1],6:0.00} {row[2],6:0.00} {row[3],9:0.00} {row[4],12:0.00}{wall} {row[5],6:0.00} | {row[6],6:0.00} {row[7],12:0.00} | {result.DeskewAngle:0.00}°"));
            }
            var n = corpus.PageCount;
            Console.WriteLine(string.Create(inv,
                $"[profile]   {"mean",-22} {sums[0] / n,6:0.00} {sums[1] / n,6:0.00} {sums[2] / n,6:0.00} {sums[3] / n,9:0.00} {sums[4] / n,12:0.00} {sums[5] / n,6:0.00} | {sums[6] / n,6:0.00} {sums[7] / n,12:0.00} |"));
            Console.WriteLine(string.Create(inv,
                $"[profile] engine total / cli = {sums[4] / sums[6]:0.00}; recognise / cli = {sums[3] / sums[6]:0.00}; deskew+jpeg+decode = {(sums[0] + sums[1] + sums[2]) / sums[4] * 100:0} % of the engine; pdf = {sums[5] / n:0.00} s per page"));

            // The same pages through the engine alone, PoolSize pages at a time (no host): the in-process cost of parallel pages.
            var poolSize = Environment.ProcessorCount;
            using var pooled = new TesseractOcrEngine(Options.Create(new TesseractOcrOptions { PoolSize = poolSize }));
            await Task.WhenAll(Enumerable.Range(0, poolSize).Select(_ => pooled.RecognizeAsync(warmUpPng, 0, "deu", ct)));
            var (cpu0, _) = OcrCpuMeter.CpuSeconds();
            var wall0 = Stopwatch.GetTimestamp();
            await Task.WhenAll(corpus.Pages.Select(p => pooled.RecognizeAsync(p.File.Path, p.Index, "deu", ct)));
            var parallelCpu = OcrCpuMeter.CpuSeconds().Self - cpu0;
            var parallelWall = Stopwatch.GetElapsedTime(wall0).TotalSeconds;
            Console.WriteLine(string.Create(inv,
                $"[profile] engine alone, {poolSize} pages at a time: {parallelCpu / n:0.00} cpu s/page, {parallelWall:0.00} s wall for {n} pages = {n / parallelWall * 60:0.0} pages/min"));
        }
        finally
        {
            Names.DeleteDirectory(temp);
        }
    }

    private static async Task<double> ChildCpuAsync(string tesseract, string input, Dictionary<string, string> env, CancellationToken ct)
    {
        var (_, before) = OcrCpuMeter.CpuSeconds();
        var r = await Tool.RunAsync(tesseract, [input, "-", "-l", "deu"], env, ct);
        if (r.ExitCode != 0) return double.NaN;
        return OcrCpuMeter.CpuSeconds().Children - before;
    }
}
