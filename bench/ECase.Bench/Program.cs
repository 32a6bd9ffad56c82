using System.Globalization;
using ECase.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

// The floor phase's server, started by the benchmark as a child process (FloorServer.cs).
if (args.Length > 0 && args[0] == FloorServer.Command) return await FloorServer.RunAsync(args[1..]);

// ocr has its own options and phases (OcrBenchmark.cs).
if (args.Length > 0 && args[0] == "ocr") return await OcrBenchmark.MainAsync(args);

// search has its own options and phases (SearchBenchmark.cs).
if (args.Length > 0 && args[0] == "search") return await SearchBenchmark.MainAsync(args);

// verify has its own options and phases (VerifyBenchmark.cs).
if (args.Length > 0 && args[0] == "verify") return await VerifyBenchmark.MainAsync(args);

// inspection has its own options and phases (InspectionBenchmark.cs).
if (args.Length > 0 && args[0] == "inspection") return await InspectionBenchmark.MainAsync(args);

// export has its own options and phases (ExportBenchmark.cs).
if (args.Length > 0 && args[0] == "export") return await ExportBenchmark.MainAsync(args);

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    if (e.Message.Length > 0) Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var cancel = new BenchCancellation("cancelling: stopping writers and dropping the throwaway schemas …");

return options.Name switch
{
    "append" => await AppendBench.RunAsync(options, cancel.Token),
    _ => Unknown(options.Name),
};

static int Unknown(string name)
{
    Console.Error.WriteLine($"Unknown benchmark '{name}'. Known: append, ocr, search, verify, export, inspection.");
    return 2;
}

namespace ECase.Bench
{
    /// <summary><c>append</c>: raw PostgreSQL inserts vs. the application layer vs. the HTTP API, same writers, same duration.</summary>
    public static class AppendBench
    {
        public static async Task<int> RunAsync(BenchOptions o, CancellationToken ct)
        {
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv,
                $"bench append: writers={o.Writers} seconds={o.Seconds:0.#} warmup={o.WarmupSeconds:0.#} phases={string.Join(',', o.Phases.Order())} " +
                $"mix=OpenCase,{o.SubmissionsPerCase}xRegisterSubmission({o.DocumentBytes} B PDF),CloseCase; OpenFile every {o.CasesPerFile} cases; cpus={Environment.ProcessorCount}"));

            // The machine is shared with whatever else runs: say how busy it was just before, so noisy figures can be told apart.
            var idle = new CpuMeter(null);
            await Task.Delay(1000, ct);
            var before = idle.Stop();
            Console.WriteLine(string.Create(inv, $"background load before the run: {before.MachineBusyCores:0.00}/{before.MachineCores:0} cores busy (postgres {before.PostgresCores ?? 0:0.00})"));

            var errors = new ErrorLog();
            PhaseResult? raw = null, app = null, floor = null, http = null;
            var failed = false;
            try
            {
                if (o.Phases.Contains("raw")) raw = await RawAppendPhase.RunAsync(o, errors, ct);
                if (o.Phases.Contains("app")) app = await AppPhase.RunAsync(o, errors, ct);
                if (o.Phases.Contains("floor")) floor = await FloorPhase.RunAsync(o, errors, ct);
                if (o.Phases.Contains("http")) http = await HttpPhase.RunAsync(o, errors, ct);
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

            if (errors.Count > 0)
            {
                Console.Error.WriteLine($"{errors.Count} command(s) failed:");
                errors.Print(Console.Error);
            }

            static string Rate(PhaseResult? r) => r is null ? "nan" : r.Rate.ToString("0.0", CultureInfo.InvariantCulture);
            static string Ratio(PhaseResult? a, PhaseResult? b) =>
                a is null || b is null || b.Rate == 0 ? "nan" : (a.Rate / b.Rate).ToString("0.00", CultureInfo.InvariantCulture);
            var p99 = http is null ? "nan" : http.Latency.P99Ms.ToString("0.0", inv);
            static string Warm(PhaseResult? r) => r is null ? "nan" : r.Warmup.Seconds.ToString("0", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(inv, $"writers={o.Writers} seconds={o.Seconds:0.#} (per phase, after a warm-up of {o.WarmupSeconds:0.#}–{o.WarmupMaxSeconds:0.#} s)"));
            foreach (var r in new[] { raw, app, floor, http }.OfType<PhaseResult>().Where(r => r.Warmup.Settled == false))
                Console.WriteLine($"note: the {r.Phase} phase was measured before its rate had settled (raise --warmup-max)");
            if (o.Quick && o.WarmupMaxSeconds <= o.WarmupSeconds)
                Console.WriteLine("note: --quick is a smoke run: its fixed warm-up is too short for the JIT to settle (bench/README.md, Warm-up)");
            Console.WriteLine($"RESULT append raw_tps={Rate(raw)} app_cps={Rate(app)} http_cps={Rate(http)} http_p99_ms={p99} ratio_app_raw={Ratio(app, raw)} ratio_http_raw={Ratio(http, raw)} " +
                $"floor_cps={Rate(floor)} ratio_floor_raw={Ratio(floor, raw)} ratio_http_floor={Ratio(http, floor)} " +
                $"warmup_app_s={Warm(app)} warmup_http_s={Warm(http)}");
            return failed || errors.Count > 0 ? 1 : 0;
        }
    }
}
