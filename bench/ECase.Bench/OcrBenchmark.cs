using System.Globalization;

namespace ECase.Bench;

/// <summary>Command line of <c>ocr</c>: <c>ocr [--quick] [--corpus DIR] [options]</c>.</summary>
public sealed class OcrOptions
{
    public const int QuickMaxPages = 4;

    public string? Corpus { get; private set; }

    public bool Quick { get; private set; }

    /// <summary>Most pages to use, in whole files (quick: 4; otherwise all).</summary>
    public int? MaxPages { get; private set; }

    public HashSet<string> Phases { get; private set; } = new(["pipeline", "cli", "ocrmypdf"], StringComparer.OrdinalIgnoreCase);

    public string ConnectionString { get; private set; } =
        Environment.GetEnvironmentVariable("ECASE_PG") is { Length: > 0 } pg ? pg : BenchOptions.DefaultConnectionString;

    /// <summary>How often the pipeline phase looks for completed documents.</summary>
    public int PollMs { get; private set; } = 500;

    public int CliProcesses { get; private set; } = 2;

    /// <summary>Experiment: every scan in its own case (default: all in one case, as a clerk scans a stack into a case).</summary>
    public bool CasePerScan { get; private set; }

    public bool Verbose { get; private set; }

    /// <summary>Run the phases this many times, one after the other; each phase's best round counts (a busy shared machine).</summary>
    public int Rounds { get; private set; } = 1;

    /// <summary>Most seconds to wait after the warm-up for the pipeline's host to be idle (below 0.1 cores) before measuring.</summary>
    public int SettleSeconds { get; private set; } = 20;

    private int? _settle;

    public static string Usage => """
        usage: ECase.Bench ocr [--quick] [--corpus DIR] [options]
          --quick             at most 4 pages (whole files); every phase still runs
          --corpus DIR        page images with NAME.gt.txt, or NAME.pK.gt.txt per page of a multi-page TIFF
                              (default tests/fixtures/ocr)
          --max-pages N       at most N pages, whole files (overrides --quick's 4)
          --phases LIST       comma-separated subset of pipeline,cli,ocrmypdf (default: these three), or add
                              profile: per-page CPU of each pipeline step next to the CLI (diagnostic, one core)
          --cli-procs N       parallel tesseract processes in the cli phase (default 2)
          --poll-ms N         pipeline: interval of the completion poll (default 500; completion times come from the events)
          --case-per-scan     pipeline experiment: one case per scan instead of one case for all
          --rounds N          run the phases N times in turn; each phase's best round counts (default 1)
          --verbose           pipeline: print every traced engine and PDF call
          --settle-seconds N  pipeline: after the warm-up, wait at most N s for the host to idle (< 0.1 cores; default 20, quick 5)
          --pg CONNSTR        PostgreSQL connection string (default $ECASE_PG or the project-local cluster)
        """;

    public static OcrOptions Parse(IReadOnlyList<string> args)
    {
        var o = new OcrOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{a} needs a value.");
            int NextInt(int min) =>
                int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min
                    ? v : throw new ArgumentException($"{a} needs a whole number >= {min}.");
            switch (a)
            {
                case "ocr" when i == 0: break;
                case "--quick": o.Quick = true; break;
                case "--corpus": o.Corpus = Next(); break;
                case "--max-pages": o.MaxPages = NextInt(1); break;
                case "--cli-procs": o.CliProcesses = NextInt(1); break;
                case "--poll-ms": o.PollMs = NextInt(1); break;
                case "--case-per-scan": o.CasePerScan = true; break;
                case "--verbose": o.Verbose = true; break;
                case "--rounds": o.Rounds = NextInt(1); break;
                case "--settle-seconds": o._settle = NextInt(0); break;
                case "--pg": o.ConnectionString = Next(); break;
                case "--api-dll": _ = Next(); break; // run.sh passes it to every benchmark; ocr has no HTTP phase
                case "--phases":
                    o.Phases = new HashSet<string>(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
                    if (o.Phases.Count == 0 || o.Phases.Any(p => p is not ("pipeline" or "cli" or "ocrmypdf" or "profile")))
                        throw new ArgumentException("--phases takes a comma-separated subset of pipeline,cli,ocrmypdf,profile.");
                    break;
                case "-h" or "--help": throw new ArgumentException("");
                default: throw new ArgumentException($"Unknown argument '{a}'.");
            }
        }
        if (o.Quick) o.MaxPages ??= QuickMaxPages;
        o.SettleSeconds = o._settle ?? (o.Quick ? 5 : 20);
        return o;
    }

    /// <summary>tests/fixtures/ocr of the checkout the program was built in.</summary>
    public static string DefaultCorpus()
    {
        for (var dir = new System.IO.DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "fixtures", "ocr");
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        return System.IO.Path.GetFullPath(System.IO.Path.Combine("tests", "fixtures", "ocr"));
    }
}

/// <summary>
/// <c>ocr</c>: the ECase scanning pipeline (intake → OCR → PDF/A) against the Tesseract CLI and OCRmyPDF on the same
/// pages, in one run: pages per minute of each and the character error rate of the pipeline and the CLI.
/// </summary>
public static class OcrBenchmark
{
    public static async Task<int> MainAsync(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        OcrOptions o;
        OcrCorpus corpus;
        try
        {
            o = OcrOptions.Parse(args);
            var all = OcrCorpus.Load(System.IO.Path.GetFullPath(o.Corpus ?? OcrOptions.DefaultCorpus()));
            corpus = o.MaxPages is { } max ? all.Limit(max) : all;
        }
        catch (ArgumentException e)
        {
            if (e.Message.Length > 0) Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(OcrOptions.Usage);
            return 2;
        }

        using var cancel = new BenchCancellation("cancelling: stopping the OCR jobs and tools, dropping the throwaway schema …");
        var ct = cancel.Token;

        Console.WriteLine(string.Create(inv,
            $"bench ocr: corpus {corpus.Directory}: {corpus.PageCount} pages in {corpus.Files.Count} files ({string.Join(", ", corpus.Files.Select(f => f.PageCount == 1 ? f.Name : $"{f.Name} ({f.PageCount} p)"))}){(o.MaxPages is { } m ? $", limited to {m} pages" : "")}; " +
            $"phases={string.Join(',', o.Phases.Order())}; cpus={Environment.ProcessorCount}; OMP_THREAD_LIMIT={Environment.GetEnvironmentVariable("OMP_THREAD_LIMIT") ?? "(unset)"}"));
        var idle = new OcrCpuMeter();
        await Task.Delay(1000, ct);
        Console.WriteLine($"background before the run: {idle.Stop().Describe(0)}");

        var failures = new List<string>();
        OcrPhaseResult? pipeline = null, cli = null, ocrmypdf = null;
        var failed = false;
        var warmUpPng = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-bench-ocr-warm-up-{Guid.NewGuid():N}.png");
        try
        {
            var warmUp = OcrImages.WarmUpPng(corpus.WarmUpSource.Path);
            await System.IO.File.WriteAllBytesAsync(warmUpPng, warmUp, ct);
            var rounds = new List<(OcrPhaseResult? Pipeline, OcrPhaseResult? Cli, OcrPhaseResult? OcrMyPdf)>();
            for (var round = 1; round <= o.Rounds; round++)
            {
                if (o.Rounds > 1) Console.WriteLine($"---- round {round} of {o.Rounds} ----");
                rounds.Add((
                    o.Phases.Contains("pipeline") ? await OcrPipelinePhase.RunAsync(o, corpus, warmUp, failures, ct) : null,
                    o.Phases.Contains("cli") ? await OcrCliPhase.RunAsync(o, corpus, warmUpPng, failures, ct) : null,
                    o.Phases.Contains("ocrmypdf") ? await OcrMyPdfPhase.RunAsync(o, corpus, warmUpPng, failures, ct) : null));
            }
            // Several rounds: each phase's least disturbed one (most pages per minute) counts.
            static OcrPhaseResult? Best(IEnumerable<OcrPhaseResult?> rs) => rs.OfType<OcrPhaseResult>().OrderByDescending(r => r.NotAvailable is null ? r.Ppm : -1).FirstOrDefault();
            pipeline = Best(rounds.Select(r => r.Pipeline));
            cli = Best(rounds.Select(r => r.Cli));
            ocrmypdf = Best(rounds.Select(r => r.OcrMyPdf));
            if (o.Rounds > 1)
            {
                static string All(IEnumerable<OcrPhaseResult?> rs) => string.Join(", ", rs.OfType<OcrPhaseResult>().Select(r => r.NotAvailable is null ? r.Ppm.ToString("0.0", CultureInfo.InvariantCulture) : "NA"));
                Console.WriteLine($"rounds: pipeline_ppm {All(rounds.Select(r => r.Pipeline))}; cli_ppm {All(rounds.Select(r => r.Cli))}; ocrmypdf_ppm {All(rounds.Select(r => r.OcrMyPdf))}; the best of each counts");
            }
            if (o.Phases.Contains("profile")) await OcrProfilePhase.RunAsync(o, corpus, warmUpPng, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
#pragma warning disable CA1031 // a benchmark reports any failure and exits non-zero
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"benchmark failed: {e}");
            failed = true;
        }
        finally
        {
            System.IO.File.Delete(warmUpPng);
        }

        if (failures.Count > 0)
        {
            Console.Error.WriteLine($"{failures.Count} failure(s):");
            foreach (var f in failures) Console.Error.WriteLine($"  {f}");
        }

        static bool Has(OcrPhaseResult? r) => r is { NotAvailable: null, Pages: > 0 };
        static string Ppm(OcrPhaseResult? r) => Has(r) ? r!.Ppm.ToString("0.0", CultureInfo.InvariantCulture) : "NA";
        static string Cer(OcrPhaseResult? r) => Has(r) && !double.IsNaN(r!.Cer) ? r.Cer.ToString("0.0000", CultureInfo.InvariantCulture) : "NA";
        static double? Ratio(OcrPhaseResult? a, OcrPhaseResult? b) => Has(a) && Has(b) && b!.Ppm > 0 ? a!.Ppm / b.Ppm : null;
        static string Fmt(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) : "NA";
        var ratioCli = Ratio(pipeline, cli);
        var ratioOcrmypdf = Ratio(pipeline, ocrmypdf);

        if (ocrmypdf?.NotAvailable is { } why) Console.WriteLine($"ocrmypdf_ppm=NA: {why}");
        Console.WriteLine(string.Create(inv,
            $"targets: pipeline >= 0.8 x cli: {Fmt(ratioCli)} {Verdict(ratioCli, 0.8)}; pipeline >= 2 x ocrmypdf: {Fmt(ratioOcrmypdf)} {Verdict(ratioOcrmypdf, 2)}; " +
            $"cer <= 0.5 %: {(Has(pipeline) ? $"{pipeline!.Cer * 100:0.00} % {(pipeline.Cer <= 0.005 ? "ok" : "MISSED")}" : "NA")}; load average now {OcrCpuMeter.LoadAverage()}"));
        Console.WriteLine(
            $"RESULT ocr pages={corpus.PageCount} cer={Cer(pipeline)} cli_cer={Cer(cli)} pipeline_ppm={Ppm(pipeline)} cli_ppm={Ppm(cli)} ocrmypdf_ppm={Ppm(ocrmypdf)} " +
            $"ratio_cli={Fmt(ratioCli)} ratio_ocrmypdf={Fmt(ratioOcrmypdf)}");
        return failed || failures.Count > 0 ? 1 : 0;

        static string Verdict(double? ratio, double target) => ratio is not { } r ? "" : r >= target ? "ok" : "MISSED";
    }
}
