using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ECase.Bench;

/// <summary>One concurrent client of a phase: each step is one command (or one insert), timed by the driver.</summary>
public interface IBenchWriter
{
    /// <summary>The kind of command the next <see cref="StepAsync"/> performs (an index into the phase's kind names).</summary>
    int NextKind { get; }

    /// <summary>Performs one command; throws when it fails.</summary>
    Task StepAsync(CancellationToken ct);

    /// <summary>Called after a failed step so the writer can leave a state that would only fail again.</summary>
    void Recover();
}

/// <summary>Failures of a run, counted by phase, command and message; any of them makes the run fail.</summary>
public sealed class ErrorLog
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public int Count => _counts.Values.Sum();

    public void Add(string phase, string kind, Exception e)
    {
        var inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
        var message = inner.Message.ReplaceLineEndings(" ");
        if (message.Length > 300) message = message[..300] + "…";
        _counts.AddOrUpdate($"{phase} {kind}: {inner.GetType().Name}: {message}", 1, (_, n) => n + 1);
    }

    public void Print(TextWriter w)
    {
        foreach (var (key, n) in _counts.OrderByDescending(kv => kv.Value).Take(20))
            w.WriteLine($"  {n,6} x {key}");
    }
}

/// <summary>Latencies (Stopwatch ticks) of one phase, per command kind.</summary>
public sealed class Recorder(int kinds)
{
    public List<long>[] Ticks { get; } = [.. Enumerable.Range(0, kinds).Select(_ => new List<long>(4096))];

    public int Errors { get; set; }

    public void Merge(Recorder other)
    {
        for (var k = 0; k < Ticks.Length; k++) Ticks[k].AddRange(other.Ticks[k]);
        Errors += other.Errors;
    }
}

public sealed record Latency(int Count, double P50Ms, double P99Ms, double MeanMs)
{
    public static Latency Of(IEnumerable<long> ticks)
    {
        var sorted = ticks.ToArray();
        if (sorted.Length == 0) return new Latency(0, double.NaN, double.NaN, double.NaN);
        Array.Sort(sorted);
        return new Latency(sorted.Length, Ms(Percentile(sorted, 0.50)), Ms(Percentile(sorted, 0.99)), Ms((long)sorted.Average()));
    }

    private static long Percentile(long[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

public sealed record KindResult(string Kind, double Rate, Latency Latency);

/// <summary>What one measured phase produced.</summary>
public sealed record PhaseResult(
    string Phase, int Writers, double Seconds, int Ops, int Errors, double Rate, Latency Latency, IReadOnlyList<KindResult> Kinds, CpuUse Cpu,
    string? DbReport, Warmup Warmup);

/// <summary>How long a phase warmed up, and whether its rate had stopped rising by then (null: a fixed warm-up, not checked).</summary>
public sealed record Warmup(double Seconds, bool? Settled);

/// <summary>
/// CPU used during a phase, in cores: the whole machine (from /proc/stat), this process, the API child process and all
/// PostgreSQL server processes; what is left is background load from other work on the machine.
/// </summary>
public sealed record CpuUse(double MachineBusyCores, double MachineCores, double BenchCores, double? ChildCores, double? PostgresCores)
{
    public double Other => Math.Max(0, MachineBusyCores - BenchCores - (ChildCores ?? 0) - (PostgresCores ?? 0));

    public string Describe(double rate)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = string.Create(inv, $"cpu: machine {MachineBusyCores:0.00}/{MachineCores:0} cores busy = bench process {BenchCores:0.00}");
        if (ChildCores is { } c) s += string.Create(inv, $" + api process {c:0.00}");
        if (PostgresCores is { } pg) s += string.Create(inv, $" + postgres {pg:0.00}");
        s += string.Create(inv, $" + other {Other:0.00}");
        if (rate > 0)
        {
            double Ms(double cores) => cores / rate * 1000;
            s += string.Create(inv, $"; cpu ms per op: bench {Ms(BenchCores):0.00}");
            if (ChildCores is { } c2) s += string.Create(inv, $", api {Ms(c2):0.00}");
            if (PostgresCores is { } pg2) s += string.Create(inv, $", postgres {Ms(pg2):0.00}");
        }

        return s;
    }
}

public sealed class CpuMeter
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly (long Busy, long Total)? _machine = ReadProcStat();
    private readonly TimeSpan _bench = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly Dictionary<int, long> _postgres = PostgresTicks();
    private readonly Process? _child;
    private readonly TimeSpan _childStart;

    public CpuMeter(Process? child)
    {
        _child = child;
        if (child is not null)
        {
            child.Refresh();
            _childStart = child.TotalProcessorTime;
        }
    }

    public CpuUse Stop()
    {
        var seconds = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        var machine = ReadProcStat();
        var busy = _machine is { } a && machine is { } b && b.Total > a.Total
            ? (double)(b.Busy - a.Busy) / (b.Total - a.Total) * Environment.ProcessorCount
            : double.NaN;
        var bench = (Process.GetCurrentProcess().TotalProcessorTime - _bench).TotalSeconds / seconds;
        double? child = null;
        if (_child is { HasExited: false })
        {
            _child.Refresh();
            child = (_child.TotalProcessorTime - _childStart).TotalSeconds / seconds;
        }

        double? postgres = null;
        if (_postgres.Count > 0)
        {
            // Processes that exited meanwhile are lost; a pooled benchmark keeps its backends, so that is little.
            var ticks = PostgresTicks().Sum(kv => kv.Value - _postgres.GetValueOrDefault(kv.Key));
            postgres = ticks / (double)ClockTicksPerSecond / seconds;
        }

        return new CpuUse(busy, Environment.ProcessorCount, bench, child, postgres);
    }

    private const int ClockTicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>utime + stime of every process named postgres, by pid; empty off Linux.</summary>
    private static Dictionary<int, long> PostgresTicks()
    {
        var result = new Dictionary<int, long>();
        if (!OperatingSystem.IsLinux()) return result;
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var stat = System.IO.File.ReadAllText(System.IO.Path.Combine(dir, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                if (open < 0 || close < 0 || stat[(open + 1)..close] != "postgres") continue;
                var fields = stat[(close + 2)..].Split(' ');
                // After "pid (comm) ": state is field 3, utime field 14, stime field 15 (1-based in proc(5)).
                result[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (System.IO.IOException)
            {
                // the process exited
            }
            catch (UnauthorizedAccessException)
            {
                // not ours to read
            }
        }

        return result;
    }

    /// <summary>Busy and total jiffies of all CPUs; null off Linux.</summary>
    private static (long Busy, long Total)? ReadProcStat()
    {
        try
        {
            var line = System.IO.File.ReadLines("/proc/stat").First();
            var v = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            var total = v.Sum();
            var idle = v[3] + v[4];
            return (total - idle, total);
        }
        catch (System.IO.IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <summary>Runs a phase's writers concurrently for a fixed time: once to warm up (discarded), once measured.</summary>
public static class Driver
{
    private const int MaxErrorsPerWriter = 50;

    public static async Task<PhaseResult> RunAsync(
        string phase, IReadOnlyList<IBenchWriter> writers, string[] kinds, BenchOptions options, ErrorLog errors,
        Process? child, DbProbe? probe, CancellationToken ct)
    {
        var warmup = await WarmUpAsync(phase, writers, kinds, options, errors, ct);

        if (probe is not null) await probe.StartAsync(ct);
        var cpu = new CpuMeter(child);
        var start = Stopwatch.GetTimestamp();
        var rec = await RunForAsync(phase, writers, kinds, TimeSpan.FromSeconds(options.Seconds), errors, ct);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var cpuUse = cpu.Stop();

        var ops = rec.Ticks.Sum(t => t.Count);
        var db = probe is null ? null : await probe.StopAsync(ops, ct);
        var kindResults = kinds.Select((k, i) => new KindResult(k, rec.Ticks[i].Count / seconds, Latency.Of(rec.Ticks[i]))).ToList();
        return new PhaseResult(phase, writers.Count, seconds, ops, rec.Errors, ops / seconds, Latency.Of(rec.Ticks.SelectMany(t => t)), kindResults, cpuUse, db, warmup);
    }

    /// <summary>
    /// Runs the minimum warm-up, then windows until the rate has stopped rising (see <see cref="BenchOptions.WarmupMaxSeconds"/>),
    /// printing each window's rate. Returns the seconds spent and whether the rate settled before the cap.
    /// </summary>
    private static async Task<Warmup> WarmUpAsync(
        string phase, IReadOnlyList<IBenchWriter> writers, string[] kinds, BenchOptions options, ErrorLog errors, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        var fixedLength = options.WarmupMaxSeconds <= options.WarmupSeconds;
        if (options.WarmupMaxSeconds > 0)
            Console.WriteLine(fixedLength
                ? string.Create(inv, $"[{phase}] warming up {options.WarmupSeconds:0.#} s …")
                : string.Create(inv, $"[{phase}] warming up {options.WarmupSeconds:0.#}–{options.WarmupMaxSeconds:0.#} s, until the rate settles …"));
        var started = Stopwatch.GetTimestamp();
        if (options.WarmupSeconds > 0) await RunForAsync(phase, writers, kinds, TimeSpan.FromSeconds(options.WarmupSeconds), errors, ct);
        if (fixedLength) return new Warmup(Stopwatch.GetElapsedTime(started).TotalSeconds, Settled: null);

        var best = 0.0;
        var withoutProgress = 0;
        var rates = new List<string>();
        while (Stopwatch.GetElapsedTime(started).TotalSeconds + options.WarmupWindowSeconds <= options.WarmupMaxSeconds + 0.5)
        {
            var t0 = Stopwatch.GetTimestamp();
            var rec = await RunForAsync(phase, writers, kinds, TimeSpan.FromSeconds(options.WarmupWindowSeconds), errors, ct);
            var rate = rec.Ticks.Sum(t => t.Count) / Stopwatch.GetElapsedTime(t0).TotalSeconds;
            rates.Add(rate.ToString("0", inv));
            withoutProgress = rate < best * BenchOptions.SettledGain ? withoutProgress + 1 : 0;
            best = Math.Max(best, rate);
            if (withoutProgress >= options.SettledWindows)
            {
                Console.WriteLine(string.Create(inv, $"[{phase}] warm-up settled after {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s; per {options.WarmupWindowSeconds:0} s window: {string.Join(" ", rates)} /s"));
                return new Warmup(Stopwatch.GetElapsedTime(started).TotalSeconds, Settled: true);
            }
        }

        Console.WriteLine(string.Create(inv, $"[{phase}] warm-up NOT settled within {options.WarmupMaxSeconds:0} s (still rising; the figures below are low); per window: {string.Join(" ", rates)} /s"));
        return new Warmup(Stopwatch.GetElapsedTime(started).TotalSeconds, Settled: false);
    }

    private static async Task<Recorder> RunForAsync(
        string phase, IReadOnlyList<IBenchWriter> writers, string[] kinds, TimeSpan duration, ErrorLog errors, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var tasks = writers.Select(w => Task.Run(async () =>
        {
            var rec = new Recorder(kinds.Length);
            while (Stopwatch.GetTimestamp() < deadline && rec.Errors < MaxErrorsPerWriter)
            {
                ct.ThrowIfCancellationRequested();
                var kind = w.NextKind;
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    await w.StepAsync(ct);
                    rec.Ticks[kind].Add(Stopwatch.GetTimestamp() - t0);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    rec.Errors++;
                    errors.Add(phase, kinds[kind], e);
                    w.Recover();
                }
            }

            return rec;
        }, ct)).ToList();

        var total = new Recorder(kinds.Length);
        foreach (var r in await Task.WhenAll(tasks)) total.Merge(r);
        return total;
    }

    public static void Print(PhaseResult r, string rateName)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv,
            $"[{r.Phase}] writers={r.Writers} seconds={r.Seconds:0.0} ops={r.Ops} errors={r.Errors} {rateName}={r.Rate:0.0} p50={r.Latency.P50Ms:0.00} ms p99={r.Latency.P99Ms:0.00} ms mean={r.Latency.MeanMs:0.00} ms"));
        if (r.Kinds.Count > 1)
            foreach (var k in r.Kinds.Where(k => k.Latency.Count > 0))
                Console.WriteLine(string.Create(inv,
                    $"[{r.Phase}]   {k.Kind,-19} n={k.Latency.Count,-6} {k.Rate,7:0.0}/s p50={k.Latency.P50Ms:0.00} ms p99={k.Latency.P99Ms:0.00} ms"));
        Console.WriteLine($"[{r.Phase}] {r.Cpu.Describe(r.Rate)}");
        if (r.DbReport is not null)
            foreach (var line in r.DbReport.Split(Environment.NewLine)) Console.WriteLine($"[{r.Phase}] {line}");
    }
}
