using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ECase.Bench;

/// <summary>
/// CPU used during an OCR phase, in cores: the whole machine (/proc/stat), this process, its waited-for child processes
/// (tesseract, ocrmypdf and everything they ran), all PostgreSQL server processes, and the rest ("other": whatever else
/// runs on the shared machine). Plus the load averages at start and end.
/// </summary>
public sealed class OcrCpuMeter
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly (long Busy, long Total)? _machine = Machine();
    private readonly (long Self, long Children)? _self = SelfTicks();
    private readonly Dictionary<int, long> _postgres = PostgresTicks();
    private readonly string _loadStart = LoadAverage();

    public OcrCpuUse Stop()
    {
        var seconds = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        var machine = Machine();
        var self = SelfTicks();
        var busy = _machine is { } a && machine is { } b && b.Total > a.Total
            ? (double)(b.Busy - a.Busy) / (b.Total - a.Total) * Environment.ProcessorCount : double.NaN;
        double bench = 0, children = 0;
        if (_self is { } s0 && self is { } s1)
        {
            bench = (s1.Self - s0.Self) / ClockTicksPerSecond / seconds;
            children = (s1.Children - s0.Children) / ClockTicksPerSecond / seconds;
        }
        // Per process: backends that exited meanwhile (another session's benchmark ending) are left out, not subtracted.
        var postgres = PostgresTicks().Sum(kv => _postgres.TryGetValue(kv.Key, out var t) ? kv.Value - t : kv.Value) / ClockTicksPerSecond / seconds;
        return new OcrCpuUse(seconds, busy, bench, children, postgres, _loadStart, LoadAverage());
    }

    /// <summary>CPU seconds used so far by this process and by its waited-for child processes.</summary>
    public static (double Self, double Children) CpuSeconds() =>
        SelfTicks() is { } t ? (t.Self / ClockTicksPerSecond, t.Children / ClockTicksPerSecond) : (double.NaN, double.NaN);

    /// <summary>The 1, 5 and 15 minute load averages, e.g. "6.40 7.33 8.31".</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', System.IO.File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (System.IO.IOException)
        {
            return "?";
        }
    }

    private static (long Busy, long Total)? Machine()
    {
        try
        {
            var v = System.IO.File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Skip(1).Take(8).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            var total = v.Sum();
            return (total - v[3] - v[4], total);
        }
        catch (System.IO.IOException)
        {
            return null;
        }
    }

    /// <summary>utime+stime and cutime+cstime of this process (children count once they have been waited for).</summary>
    private static (long Self, long Children)? SelfTicks()
    {
        try
        {
            var f = StatFields(System.IO.File.ReadAllText("/proc/self/stat"));
            return (Long(f[11]) + Long(f[12]), Long(f[13]) + Long(f[14]));
        }
        catch (System.IO.IOException)
        {
            return null;
        }
    }

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
                var f = StatFields(stat);
                result[pid] = Long(f[11]) + Long(f[12]);
            }
            catch (System.IO.IOException)
            {
                // exited meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                // not ours to read
            }
        }
        return result;
    }

    /// <summary>The fields after "pid (comm) ": [0] is the state (field 3 of proc(5)), [11] utime, [13] cutime.</summary>
    private static string[] StatFields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    private static long Long(string s) => long.Parse(s, CultureInfo.InvariantCulture);
}

/// <summary>Average busy cores during a phase (see <see cref="OcrCpuMeter"/>).</summary>
public sealed record OcrCpuUse(double Seconds, double Machine, double Bench, double Children, double Postgres, string LoadStart, string LoadEnd)
{
    public double Other => Math.Max(0, Machine - Bench - Children - Postgres);

    /// <summary>CPU seconds per page of this process and of its child processes: far less sensitive to a busy machine than pages per minute.</summary>
    public string Describe(int pages) => string.Create(CultureInfo.InvariantCulture,
        $"cpu: machine {Machine:0.00}/{Environment.ProcessorCount} cores busy = bench process {Bench:0.00} + child processes {Children:0.00} + postgres {Postgres:0.00} + other {Other:0.00}; " +
        $"cpu s per page: bench {(pages > 0 ? Bench * Seconds / pages : double.NaN):0.00}, children {(pages > 0 ? Children * Seconds / pages : double.NaN):0.00}; load average {LoadStart} -> {LoadEnd}");
}

/// <summary>Runs a command line tool to its end; the whole process tree is killed on cancellation.</summary>
public static class Tool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? env, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = p.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await p.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try
            {
                p.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            throw;
        }
        return new Result(p.ExitCode, await stdout, await stderr, sw.Elapsed);
    }

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, name)).FirstOrDefault(System.IO.File.Exists);
}
