using System.Globalization;

namespace ECase.Bench;

/// <summary>Command line of the benchmark program: <c>NAME [--quick] [options]</c>.</summary>
public sealed class BenchOptions
{
    public const string DefaultConnectionString =
        "Host=127.0.0.1;Port=55432;Database=ecase;Username=postgres;Pooling=true;Maximum Pool Size=100";

    public string Name { get; private set; } = "";

    public int Writers { get; private set; } = 8;

    public double Seconds { get; private set; } = 20;

    /// <summary>Warm-up seconds every phase runs at least, discarded.</summary>
    public double WarmupSeconds { get; private set; } = 5;

    /// <summary>
    /// Past <see cref="WarmupSeconds"/>, the warm-up goes on in windows of <see cref="WarmupWindowSeconds"/> until
    /// <see cref="SettledWindows"/> windows in a row have not beaten the best window before them by more than
    /// <see cref="SettledGain"/>, or until this many seconds in all.
    /// The .NET JIT's tiered compilation takes tens of seconds under load on two cores to replace the first code by optimised
    /// code; measured before that, a phase measures the JIT, not ECase (bench/README.md).
    /// </summary>
    public double WarmupMaxSeconds { get; private set; } = 180;

    public double WarmupWindowSeconds => Quick ? 2 : 5;

    /// <summary>A warm-up window that does not beat the best rate so far times this is one without progress.</summary>
    public const double SettledGain = 1.03;

    /// <summary>Windows in a row without progress after which the rate counts as settled.</summary>
    public int SettledWindows => Quick ? 2 : 4;

    public bool Quick { get; private set; }

    /// <summary>Submissions registered in each case between its opening and its closing.</summary>
    public int SubmissionsPerCase { get; private set; } = 2;

    /// <summary>Cases a writer opens in one file before it opens a fresh file (keeps the live-folded file stream short).</summary>
    public int CasesPerFile { get; private set; } = 25;

    /// <summary>Size of the PDF-like document of each submission, in bytes.</summary>
    public int DocumentBytes { get; private set; } = 2048;

    public HashSet<string> Phases { get; private set; } = new(["raw", "app", "floor", "http"], StringComparer.OrdinalIgnoreCase);

    public string ConnectionString { get; private set; } =
        Environment.GetEnvironmentVariable("ECASE_PG") is { Length: > 0 } pg ? pg : DefaultConnectionString;

    public string? ApiDll { get; private set; }

    /// <summary>Experiment in the in-process app phase only: override Marten's event append mode (null: the app's setting).</summary>
    public JasperFx.Events.EventAppendMode? AppendMode { get; private set; }

    /// <summary>App phase only: count Npgsql round trips per statement (adds overhead).</summary>
    public bool TraceSql { get; private set; }

    /// <summary>Experiment in the app phase only (ADR 0024 option 1): the commands waiting at a moment share one transaction.</summary>
    public bool GroupCommit { get; private set; }

    public static string Usage => """
        usage: ECase.Bench NAME [--quick] [options]
          NAME                append
          --quick             4 s per phase after a fixed 3 s warm-up: a smoke run (default 20 s, 5–180 s warm-up)
          --writers N         concurrent writers (default 8)
          --seconds S         measured seconds per phase (overrides --quick)
          --warmup S          warm-up seconds every phase runs at least, discarded
          --warmup-max S      then warm up in windows until the rate settles, at most S seconds in all (= --warmup: fixed)
          --phases LIST       comma-separated subset of raw,app,floor,http (default all; floor: ADR 0026)
          --subs-per-case K   submissions per case between OpenCase and CloseCase (default 2)
          --cases-per-file M  cases per file before a writer opens a fresh file (default 25)
          --doc-bytes B       size of each submitted PDF-like document (default 2048)
          --pg CONNSTR        PostgreSQL connection string (default $ECASE_PG or the project-local cluster)
          --api-dll PATH      the built ECase.Api.dll for the http phase (default src/Api/bin/Release/net10.0)
          --append-mode MODE  app phase only: override Marten's Events.AppendMode (Rich, Quick, QuickWithServerTimestamps);
                              an experiment, not the app's setting (Marten 9 defaults to QuickWithServerTimestamps)
          --trace-sql         app phase only: count Npgsql round trips per command by statement (adds overhead)
          --group-commit      app phase only, experiment (ADR 0024): waiting commands share one session and transaction
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        double? seconds = null, warmup = null, warmupMax = null;
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value.");
            int NextInt(int min) =>
                int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min
                    ? v : throw new ArgumentException($"{a} needs a whole number >= {min}.");
            double NextDouble(double min) =>
                double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min
                    ? v : throw new ArgumentException($"{a} needs a number >= {min}.");

            switch (a)
            {
                case "--quick": o.Quick = true; break;
                case "--writers": o.Writers = NextInt(1); break;
                case "--seconds": seconds = NextDouble(0.5); break;
                case "--warmup": warmup = NextDouble(0); break;
                case "--warmup-max": warmupMax = NextDouble(0); break;
                case "--subs-per-case": o.SubmissionsPerCase = NextInt(0); break;
                case "--cases-per-file": o.CasesPerFile = NextInt(1); break;
                case "--doc-bytes": o.DocumentBytes = NextInt(64); break;
                case "--pg": o.ConnectionString = Next(); break;
                case "--api-dll": o.ApiDll = Next(); break;
                case "--append-mode":
                    o.AppendMode = Enum.TryParse<JasperFx.Events.EventAppendMode>(Next(), ignoreCase: true, out var mode)
                        ? mode : throw new ArgumentException("--append-mode is Rich, Quick or QuickWithServerTimestamps.");
                    break;
                case "--trace-sql": o.TraceSql = true; break;
                case "--group-commit": o.GroupCommit = true; break;
                case "--phases":
                    o.Phases = new HashSet<string>(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
                    if (o.Phases.Count == 0 || o.Phases.Any(p => p is not ("raw" or "app" or "floor" or "http")))
                        throw new ArgumentException("--phases takes a comma-separated subset of raw,app,floor,http.");
                    break;
                case "-h" or "--help": throw new ArgumentException("");
                default:
                    if (a.StartsWith('-') || o.Name.Length > 0) throw new ArgumentException($"Unknown argument '{a}'.");
                    o.Name = a;
                    break;
            }
        }

        if (o.Name.Length == 0) throw new ArgumentException("Name the benchmark to run.");
        o.Seconds = seconds ?? (o.Quick ? 4 : 20);
        o.WarmupSeconds = warmup ?? (o.Quick ? 3 : 5);
        o.WarmupMaxSeconds = Math.Max(o.WarmupSeconds, warmupMax ?? (o.Quick ? 0 : 180));
        return o;
    }
}
