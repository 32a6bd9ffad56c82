using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ECase.Bench;

/// <summary>
/// (2) The Tesseract command line on the same pages: <c>tesseract IMG - -l deu</c> (psm 3), N processes at once
/// (default 2) taking pages from one queue, <c>OMP_THREAD_LIMIT=1</c>. Pages of a multi-page TIFF are first written
/// as lossless single-page PNGs (same pixels, same resolution; not timed), so the CLI gets the same page-level
/// parallelism as the pipeline.
/// </summary>
public static class OcrCliPhase
{
    public static async Task<OcrPhaseResult> RunAsync(OcrOptions o, OcrCorpus corpus, string warmUpPng, List<string> failures, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        var tesseract = Tool.Which("tesseract");
        if (tesseract is null)
        {
            failures.Add("cli: tesseract is not installed (bench/run.sh ocr installs tesseract-ocr)");
            return new OcrPhaseResult("cli", 0, 0, double.NaN, corpus.PageCount, "tesseract not installed");
        }
        var env = new Dictionary<string, string> { ["OMP_THREAD_LIMIT"] = "1" };
        var version = await Tool.RunAsync(tesseract, ["--version"], env, ct);
        Console.WriteLine($"[cli] {version.Stdout.Split('\n')[0].Trim()}{version.Stderr.Split('\n')[0].Trim()}; {o.CliProcesses} processes, OMP_THREAD_LIMIT=1, tesseract IMG - -l deu");

        var temp = Names.TempDirectory("ecase-bench-ocr-cli");
        try
        {
            var inputs = new List<(CorpusPage Page, string Path)>();
            foreach (var f in corpus.Files)
            {
                foreach (var page in f.Pages)
                {
                    if (f.PageCount == 1)
                    {
                        inputs.Add((page, f.Path));
                        continue;
                    }
                    var png = System.IO.Path.Combine(temp, $"{f.Stem}.p{page.Index + 1}.png");
                    OcrImages.WritePageAsPng(f.Path, page.Index, png);
                    inputs.Add((page, png));
                }
            }

            var warm = await Tool.RunAsync(tesseract, [warmUpPng, "-", "-l", "deu"], env, ct);
            if (warm.ExitCode != 0) failures.Add($"cli warm-up: tesseract exited {warm.ExitCode}: {Tail(warm.Stderr)}");
            Console.WriteLine(string.Create(inv, $"[cli] warm-up: one small page in {warm.Elapsed.TotalSeconds:0.00} s (not counted)"));

            var queue = new ConcurrentQueue<(CorpusPage Page, string Path)>(inputs);
            var results = new ConcurrentDictionary<CorpusPage, Tool.Result>();
            var cpu = new OcrCpuMeter();
            var t0 = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, o.CliProcesses).Select(_ => Task.Run(async () =>
            {
                while (queue.TryDequeue(out var item))
                    results[item.Page] = await Tool.RunAsync(tesseract, [item.Path, "-", "-l", "deu"], env, ct);
            }, ct)));
            var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            var cpuLine = cpu.Stop();

            var cer = new CerTotal();
            var failed = 0;
            foreach (var (page, _) in inputs)
            {
                var r = results[page];
                if (r.ExitCode != 0)
                {
                    failures.Add($"cli {page.Label}: tesseract exited {r.ExitCode}: {Tail(r.Stderr)}");
                    failed++;
                    continue;
                }
                var pageCer = cer.Add(r.Stdout, page.GroundTruth);
                Console.WriteLine(string.Create(inv, $"[cli]   {page.Label,-22} CER {pageCer * 100,6:0.00} %  {r.Elapsed.TotalSeconds:0.00} s"));
            }
            var result = new OcrPhaseResult("cli", inputs.Count - failed, seconds, cer.Value, failed, null);
            Console.WriteLine(string.Create(inv, $"[cli] pages={result.Pages} seconds={seconds:0.00} cli_ppm={result.Ppm:0.0} cer={cer.Value * 100:0.00} %"));
            Console.WriteLine($"[cli] {cpuLine.Describe(result.Pages)}");
            return result;
        }
        finally
        {
            Names.DeleteDirectory(temp);
        }
    }

    public static string Tail(string s, int lines = 6) =>
        string.Join(" | ", s.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines));
}

/// <summary>
/// (3) OCRmyPDF (Debian's), file by file: <c>ocrmypdf -l deu --deskew --output-type pdfa --jobs 2 IN OUT.pdf</c>; images
/// without a stored resolution get <c>--image-dpi 300</c>. Its text layer is scored with pdftotext when that exists
/// (reported, not in the RESULT line).
/// </summary>
public static class OcrMyPdfPhase
{
    public static async Task<OcrPhaseResult> RunAsync(OcrOptions o, OcrCorpus corpus, string warmUpPng, List<string> failures, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        var ocrmypdf = Tool.Which("ocrmypdf");
        if (ocrmypdf is null) return NotAvailable("ocrmypdf is not installed (bench/run.sh ocr installs it with apt-get install -y ocrmypdf)");
        var env = new Dictionary<string, string> { ["OMP_THREAD_LIMIT"] = "1" };
        var version = await Tool.RunAsync(ocrmypdf, ["--version"], env, ct);
        if (version.ExitCode != 0) return NotAvailable($"ocrmypdf --version exited {version.ExitCode}: {OcrCliPhase.Tail(version.Stderr)}");
        Console.WriteLine($"[ocrmypdf] ocrmypdf {version.Stdout.Trim()}; one file at a time, ocrmypdf -l deu --deskew --output-type pdfa --jobs 2");

        var temp = Names.TempDirectory("ecase-bench-ocr-ocrmypdf");
        try
        {
            List<string> Args(CorpusFile f, string input, string output) =>
            [
                "-l", "deu", "--deskew", "--output-type", "pdfa", "--jobs", "2",
                .. f.Dpi == 0 ? new[] { "--image-dpi", "300" } : [],
                input, output,
            ];

            var warm = await Tool.RunAsync(ocrmypdf, Args(new CorpusFile(warmUpPng, "image/png", 1, 300), warmUpPng, System.IO.Path.Combine(temp, "warm-up.pdf")), env, ct);
            if (warm.ExitCode != 0)
                return NotAvailable($"ocrmypdf cannot run here: the warm-up page failed with exit code {warm.ExitCode}: {OcrCliPhase.Tail(warm.Stderr)}");
            Console.WriteLine(string.Create(inv, $"[ocrmypdf] warm-up: one small page in {warm.Elapsed.TotalSeconds:0.00} s (not counted)"));

            var cpu = new OcrCpuMeter();
            var t0 = Stopwatch.GetTimestamp();
            var runs = new List<(CorpusFile File, string Pdf, Tool.Result Result)>();
            foreach (var f in corpus.Files)
            {
                var pdf = System.IO.Path.Combine(temp, $"{f.Stem}.pdf");
                runs.Add((f, pdf, await Tool.RunAsync(ocrmypdf, Args(f, f.Path, pdf), env, ct)));
            }
            var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            var cpuLine = cpu.Stop();

            var pdftotext = Tool.Which("pdftotext");
            var cer = new CerTotal();
            var failed = 0;
            foreach (var (f, pdf, r) in runs)
            {
                if (r.ExitCode != 0)
                {
                    failures.Add($"ocrmypdf {f.Name}: exit code {r.ExitCode}: {OcrCliPhase.Tail(r.Stderr)}");
                    failed += f.PageCount;
                    continue;
                }
                var texts = pdftotext is null ? null
                    : (await Tool.RunAsync(pdftotext, [pdf, "-"], null, ct)).Stdout.Split('\f');
                foreach (var page in f.Pages)
                {
                    var pageCer = texts is null || page.Index >= texts.Length ? double.NaN : cer.Add(texts[page.Index], page.GroundTruth);
                    Console.WriteLine(string.Create(inv, $"[ocrmypdf]   {page.Label,-22} CER {pageCer * 100,6:0.00} % (pdftotext)  file {r.Elapsed.TotalSeconds:0.00} s"));
                }
            }
            var result = new OcrPhaseResult("ocrmypdf", corpus.PageCount - failed, seconds, cer.Value, failed, null);
            Console.WriteLine(string.Create(inv, $"[ocrmypdf] pages={result.Pages} seconds={seconds:0.00} ocrmypdf_ppm={result.Ppm:0.0} cer={cer.Value * 100:0.00} % (pdftotext of its text layer)"));
            Console.WriteLine($"[ocrmypdf] {cpuLine.Describe(result.Pages)}");
            return result;
        }
        finally
        {
            Names.DeleteDirectory(temp);
        }

        OcrPhaseResult NotAvailable(string why)
        {
            Console.WriteLine($"[ocrmypdf] NOT AVAILABLE: {why}");
            return new OcrPhaseResult("ocrmypdf", 0, 0, double.NaN, 0, why);
        }
    }
}
