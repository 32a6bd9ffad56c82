using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using ECase.Domain.Common;
using ECase.Projections.Search;

namespace ECase.Bench;

/// <summary>Command line of <c>search</c>: <c>search [--quick] [--docs N] [options]</c>.</summary>
public sealed class SearchBenchOptions
{
    public const int DefaultDocs = 100_000;
    public const int QuickDocs = 6_000;

    public bool Quick { get; private set; }
    public int Docs { get; private set; } = DefaultDocs;
    public int Seed { get; private set; } = 20261201;
    public int Searchers { get; private set; } = 4;

    /// <summary>Searches the service runs at once (0: its default, one per processor; a number ≥ searchers: no waiting).</summary>
    public int Slots { get; private set; }

    /// <summary>Measured queries per searcher and class (ECase).</summary>
    public int Queries { get; private set; } = 250;

    /// <summary>Warm-up passes over the whole query set per searcher, discarded: 20 passes run each query 80 times, past
    /// the 30 calls after which the JIT compiles a method again optimised, also for code only one query reaches.</summary>
    public int Warmup { get; private set; } = 20;

    /// <summary>Most measured queries per client and class on PostgreSQL, and the most seconds per class.</summary>
    public int PgQueries { get; private set; } = 100;
    public double PgSeconds { get; private set; } = 30;

    public int CommitEvery { get; private set; } = 1000;
    public int LagProbes { get; private set; } = 60;

    /// <summary>Lag probes (OpenCase commands) per second.</summary>
    public double LagRate { get; private set; } = 2;

    /// <summary>Background commands per second (OpenFile, OpenCase) during the lag phase, and the writers issuing them.</summary>
    public double LagLoad { get; private set; } = 8;
    public int LagWriters { get; private set; } = 2;

    public HashSet<string> Phases { get; private set; } = new(["index", "query", "lag", "pg"], StringComparer.OrdinalIgnoreCase);

    /// <summary>A folder that keeps the index after the run and supplies it to the next run of the same corpus (null: a temp folder, deleted).</summary>
    public string? IndexDir { get; private set; }

    public string ConnectionString { get; private set; } =
        Environment.GetEnvironmentVariable("ECASE_PG") is { Length: > 0 } pg ? pg : BenchOptions.DefaultConnectionString;

    public static string Usage => """
        usage: ECase.Bench search [--quick] [--docs N] [options]
          --quick            6,000 documents, fewer queries and shorter PostgreSQL classes (whole run < 60 s)
          --docs N           documents in the corpus (default 100000; quick 6000)
          --seed S           corpus seed (default 20261201)
          --searchers N      concurrent searchers / PostgreSQL clients (default 4)
          --slots N          searches the service runs at once, the others wait (default 0: one per processor,
                             as Search:MaxConcurrentSearches; N >= searchers: none wait)
          --queries N        measured ECase queries per searcher and class (default 250; quick 50)
          --warmup N         warm-up passes over all queries per searcher, discarded (default 20; quick 10)
          --pg-queries N     at most N measured PostgreSQL queries per client and class (default 100; quick 25)
          --pg-seconds S     at most S seconds per PostgreSQL class (default 30; quick 3)
          --commit-every N   documents per index commit while indexing (default 1000)
          --lag-probes N     lag probes: OpenCase commands whose unique title word is searched for (default 60; quick 16)
          --lag-rate R       lag probes per second (default 2)
          --lag-load R       background commands per second during the lag phase, OpenFile/OpenCase (default 8; 0: none)
          --lag-writers N    concurrent background writers sharing --lag-load (default 2)
          --phases LIST      comma-separated subset of index,query,lag,pg (query needs index); add profile for
                             CPU per step of a search, one thread (diagnostic)
          --pg CONNSTR       PostgreSQL connection string (default $ECASE_PG or the project-local cluster)
          --index DIR        keep the index in DIR and reuse it when it holds the same corpus (seed, docs) in the
                             current index format; then the index phase is skipped (index_dps=nan)
        """;

    public static SearchBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new SearchBenchOptions();
        int? docs = null, queries = null, warmup = null, pgQueries = null, lag = null;
        double NextDouble(string a, string value, double min) =>
            double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) && v >= min
                ? v : throw new ArgumentException($"{a} needs a number >= {min}.");
        double? pgSeconds = null;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{a} needs a value.");
            int NextInt(int min) =>
                int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min
                    ? v : throw new ArgumentException($"{a} needs a whole number >= {min}.");
            switch (a)
            {
                case "search" when i == 0: break;
                case "--quick": o.Quick = true; break;
                case "--docs": docs = NextInt(100); break;
                case "--seed": o.Seed = NextInt(0); break;
                case "--searchers": o.Searchers = NextInt(1); break;
                case "--slots": o.Slots = NextInt(0); break;
                case "--queries": queries = NextInt(1); break;
                case "--warmup": warmup = NextInt(0); break;
                case "--pg-queries": pgQueries = NextInt(1); break;
                case "--pg-seconds": pgSeconds = NextInt(1); break;
                case "--commit-every": o.CommitEvery = NextInt(1); break;
                case "--lag-probes": lag = NextInt(1); break;
                case "--lag-rate": o.LagRate = NextDouble(a, Next(), 0.01); break;
                case "--lag-load": o.LagLoad = NextDouble(a, Next(), 0); break;
                case "--lag-writers": o.LagWriters = NextInt(1); break;
                case "--pg": o.ConnectionString = Next(); break;
                case "--index": o.IndexDir = System.IO.Path.GetFullPath(Next()); break;
                case "--api-dll": _ = Next(); break; // run.sh passes it to every benchmark
                case "--phases":
                    o.Phases = new HashSet<string>(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
                    if (o.Phases.Count == 0 || o.Phases.Any(p => p is not ("index" or "query" or "lag" or "pg" or "profile")))
                        throw new ArgumentException("--phases takes a comma-separated subset of index,query,lag,pg,profile.");
                    if (!o.Phases.Contains("index") && (o.Phases.Contains("query") || o.Phases.Contains("profile")))
                        throw new ArgumentException("the query and profile phases need the index phase.");
                    break;
                case "-h" or "--help": throw new ArgumentException("");
                default: throw new ArgumentException($"Unknown argument '{a}'.");
            }
        }

        o.Docs = docs ?? (o.Quick ? QuickDocs : DefaultDocs);
        o.Queries = queries ?? (o.Quick ? 50 : 250);
        o.Warmup = warmup ?? (o.Quick ? 10 : 20);
        o.PgQueries = pgQueries ?? (o.Quick ? 25 : 100);
        o.PgSeconds = pgSeconds ?? (o.Quick ? 3 : 30);
        o.LagProbes = lag ?? (o.Quick ? 16 : 60);
        return o;
    }
}

/// <summary>Latencies of one query class on one engine.</summary>
public sealed record ClassResult(string Engine, string Class, Latency Latency, double MaxMs, double Qps, CpuUse Cpu);

/// <summary>
/// <c>search</c>: ECase's Lucene search (<see cref="SearchIndex"/>, <see cref="SearchService"/>) on a generated German
/// corpus against PostgreSQL full-text search on the same corpus: indexing rate, query latency per query class with
/// concurrent searchers, and how soon a command's effect is found through the event-fed indexer (<see cref="SearchLagPhase"/>).
/// </summary>
public static class SearchBenchmark
{
    /// <summary>The clerk all measured queries run as: one org unit, clearance up to "confidential".</summary>
    public static readonly SearchScope ClerkScope = new(["HA"], Confidentiality.Confidential);

    public static async Task<int> MainAsync(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        SearchBenchOptions o;
        try
        {
            o = SearchBenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            if (e.Message.Length > 0) Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(SearchBenchOptions.Usage);
            return 2;
        }

        using var cancel = new BenchCancellation("cancelling: stopping searchers, dropping the throwaway schema and deleting the index …");
        var ct = cancel.Token;

        var corpus = new SearchCorpus(o.Seed);
        var queries = corpus.Queries(o.Docs);
        Console.WriteLine(string.Create(inv,
            $"bench search: docs={o.Docs} ({SearchCorpus.MinWords}-{SearchCorpus.MaxWords} words, 1-4 pages) seed={o.Seed} searchers={o.Searchers} " +
            $"queries={o.Queries}/searcher/class warmup={o.Warmup} passes pg<={o.PgQueries}/client/class,<={o.PgSeconds:0.#} s commit-every={o.CommitEvery} " +
            $"phases={string.Join(',', o.Phases.Order())} cpus={Environment.ProcessorCount}; scope: org unit {string.Join(',', ClerkScope.OrgUnits!)} clearance {ClerkScope.Clearance}"));
        var idle = new CpuMeter(null);
        await Task.Delay(1000, ct);
        var before = idle.Stop();
        Console.WriteLine(string.Create(inv, $"background load before the run: {before.MachineBusyCores:0.00}/{before.MachineCores:0} cores busy (postgres {before.PostgresCores ?? 0:0.00}); load average {LoadAverage()}"));

        var dir = o.IndexDir ?? Names.TempDirectory("ecase-bench-search");
        double? indexDps = null;
        var results = new List<ClassResult>();
        SearchLagPhase.Result? lag = null;
        var failed = false;
        try
        {
            if (o.Phases.Contains("index"))
            {
                var kept = KeptIndex(o, dir);
                using var index = new SearchIndex(System.IO.Path.Combine(dir, "index"));
                if (kept) Console.WriteLine($"[index] reusing the index in {index.Path} ({index.DocumentCount} documents, format {index.IndexFormat})");
                else
                {
                    indexDps = await IndexAsync(o, corpus, index, ct);
                    if (o.IndexDir is not null) System.IO.File.WriteAllText(System.IO.Path.Combine(dir, "corpus"), CorpusKey(o));
                }

                var service = new SearchService(o.Slots);
                if (o.Phases.Contains("query")) results.AddRange(Query(o, index, service, queries, ct));
                if (o.Phases.Contains("profile")) SearchProfile.Run(index, service, queries, o.Quick ? 10 : 30, corpus);
            }

            if (o.IndexDir is null) Names.DeleteDirectory(dir);
            if (o.Phases.Contains("lag")) lag = await SearchLagPhase.RunAsync(o, ct);
            if (o.Phases.Contains("pg")) results.AddRange(await SearchPgPhase.RunAsync(o, corpus, queries, ct));
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
            if (o.IndexDir is null) Names.DeleteDirectory(dir);
        }

        string P(string engine, string cls, Func<Latency, double> f) =>
            results.FirstOrDefault(r => r.Engine == engine && r.Class == cls) is { } r ? f(r.Latency).ToString("0.0", inv) : "nan";
        string Ratio(string cls)
        {
            var ours = results.FirstOrDefault(r => r.Engine == "ecase" && r.Class == cls);
            var pg = results.FirstOrDefault(r => r.Engine == "pg" && r.Class == cls);
            return ours is null || pg is null ? "nan" : (pg.Latency.P99Ms / ours.Latency.P99Ms).ToString("0.0", inv);
        }

        var targets = new List<string>();
        foreach (var cls in SearchCorpus.Classes)
        {
            var ours = results.FirstOrDefault(r => r.Engine == "ecase" && r.Class == cls);
            var pg = results.FirstOrDefault(r => r.Engine == "pg" && r.Class == cls);
            if (ours is null) continue;
            var ok = ours.Latency.P99Ms < 50;
            var t = string.Create(inv, $"{cls}: p99 {ours.Latency.P99Ms:0.0} ms < 50 {(ok ? "ok" : "MISSED")}");
            if (pg is not null)
            {
                var ratio = pg.Latency.P99Ms / ours.Latency.P99Ms;
                var need = cls == "selective" ? 1 : 20;
                t += string.Create(inv, $", pg/ours {ratio:0.0} >= {need} {(ratio >= need ? "ok" : "MISSED")}");
            }

            targets.Add(t);
        }

        if (targets.Count > 0) Console.WriteLine($"targets (at {o.Docs} docs; the issue's are for 100,000): {string.Join("; ", targets)}; load average now {LoadAverage()}");
        var line = string.Create(inv,
            $"RESULT search docs={o.Docs} index_dps={(indexDps is { } d ? d.ToString("0", inv) : "nan")} " +
            $"p99_selective_ms={P("ecase", "selective", l => l.P99Ms)} p99_broad_ms={P("ecase", "broad", l => l.P99Ms)} " +
            $"p99_phrase_ms={P("ecase", "phrase", l => l.P99Ms)} p99_prefix_ms={P("ecase", "prefix", l => l.P99Ms)} " +
            $"pg_p99_selective_ms={P("pg", "selective", l => l.P99Ms)} pg_p99_broad_ms={P("pg", "broad", l => l.P99Ms)} " +
            $"ratio_pg_selective={Ratio("selective")} ratio_pg_broad={Ratio("broad")} " +
            $"p50_selective_ms={P("ecase", "selective", l => l.P50Ms)} p50_broad_ms={P("ecase", "broad", l => l.P50Ms)} " +
            $"p50_phrase_ms={P("ecase", "phrase", l => l.P50Ms)} p50_prefix_ms={P("ecase", "prefix", l => l.P50Ms)} " +
            $"pg_p99_phrase_ms={P("pg", "phrase", l => l.P99Ms)} pg_p99_prefix_ms={P("pg", "prefix", l => l.P99Ms)} " +
            $"ratio_pg_phrase={Ratio("phrase")} ratio_pg_prefix={Ratio("prefix")} " +
            $"lag_p50_ms={(lag is null ? "nan" : lag.Latency.P50Ms.ToString("0.0", inv))} lag_p99_ms={(lag is null ? "nan" : lag.Latency.P99Ms.ToString("0.0", inv))} " +
            $"lag_max_ms={(lag is null ? "nan" : lag.MaxMs.ToString("0.0", inv))}");
        Console.WriteLine(line);
        return failed ? 1 : 0;
    }

    private static string CorpusKey(SearchBenchOptions o) => string.Create(CultureInfo.InvariantCulture, $"seed={o.Seed} docs={o.Docs} format={SearchIndex.Format} compacted");

    /// <summary>Whether <paramref name="dir"/> holds a finished index of this corpus in the current format; if it holds
    /// another (its marker says so), that one is deleted. A folder with anything else in it is refused, never emptied.</summary>
    private static bool KeptIndex(SearchBenchOptions o, string dir)
    {
        var marker = System.IO.Path.Combine(dir, "corpus");
        var index = System.IO.Path.Combine(dir, "index");
        if (System.IO.File.Exists(marker))
        {
            if (System.IO.File.ReadAllText(marker) == CorpusKey(o)) return true;
            System.IO.File.Delete(marker);
            Names.DeleteDirectory(index);
        }
        else if (System.IO.Directory.Exists(dir) && System.IO.Directory.EnumerateFileSystemEntries(dir).Any())
        {
            throw new InvalidOperationException($"--index {dir}: the folder is not empty and holds no benchmark index; choose another.");
        }

        System.IO.Directory.CreateDirectory(dir);
        return false;
    }

    /// <summary>(1) Every document through <see cref="SearchIndex.Put"/>, committed every N; the corpus is generated on another thread.</summary>
    private static async Task<double> IndexAsync(SearchBenchOptions o, SearchCorpus corpus, SearchIndex index, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"[index] indexing {o.Docs} documents into {index.Path} …");
        var channel = Channel.CreateBounded<CorpusDocument>(new BoundedChannelOptions(512) { SingleReader = true, SingleWriter = true });
        long generateTicks = 0, words = 0, chars = 0;
        var producer = Task.Run(async () =>
        {
            try
            {
                for (var i = 0; i < o.Docs; i++)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    var doc = corpus.Document(i);
                    generateTicks += Stopwatch.GetTimestamp() - t0;
                    chars += doc.Body.Length;
                    words += doc.Body.Count(c => c == ' ') + 1;
                    await channel.Writer.WriteAsync(doc, ct);
                }

                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
                throw;
            }
        }, ct);

        var cpu = new CpuMeter(null);
        var start = Stopwatch.GetTimestamp();
        long putTicks = 0, commitTicks = 0, commitMax = 0;
        var n = 0;
        await foreach (var doc in channel.Reader.ReadAllAsync(ct))
        {
            var t0 = Stopwatch.GetTimestamp();
            index.Put(doc.Entry);
            n++;
            var t1 = Stopwatch.GetTimestamp();
            putTicks += t1 - t0;
            if (n % o.CommitEvery == 0 || n == o.Docs)
            {
                index.Commit(n);
                var c = Stopwatch.GetTimestamp() - t1;
                commitTicks += c;
                commitMax = Math.Max(commitMax, c);
            }

            if (n % 10_000 == 0) Console.WriteLine(string.Create(inv, $"[index]   {n} documents, {n / Stopwatch.GetElapsedTime(start).TotalSeconds:0} docs/s"));
        }

        await producer;
        // as a rebuild ends (SearchIndexHost.RebuildAsync): one segment; its time counts as indexing
        var compactStart = Stopwatch.GetTimestamp();
        index.Compact();
        var compactSeconds = Stopwatch.GetElapsedTime(compactStart).TotalSeconds;
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var use = cpu.Stop();
        var dps = n / seconds;
        var size = new System.IO.DirectoryInfo(index.Path).EnumerateFiles().Sum(f => f.Length);
        var segments = index.Read(s => s.IndexReader.Leaves.Count);
        double S(long ticks) => ticks / (double)Stopwatch.Frequency;
        Console.WriteLine(string.Create(inv,
            $"[index] docs={n} seconds={seconds:0.0} index_dps={dps:0} ({words / seconds / 1e6:0.00} M words/s, {chars / seconds / 1e6:0.0} M chars/s); " +
            $"put {S(putTicks):0.0} s, commit {S(commitTicks):0.0} s (max {S(commitMax) * 1000:0} ms, every {o.CommitEvery}), compact {compactSeconds:0.0} s, corpus generation {S(generateTicks):0.0} s on its own thread (included); " +
            $"index {size / 1e6:0} MB in {segments} segments; corpus {words / 1e6:0.0} M words, {chars / 1e6:0} M chars"));
        Console.WriteLine($"[index] {use.Describe(dps)}");
        return dps;
    }

    /// <summary>(2) Every query class with concurrent searchers through <see cref="SearchService.Search"/>, as the API calls it.</summary>
    private static List<ClassResult> Query(SearchBenchOptions o, SearchIndex index, SearchService service, IReadOnlyList<BenchQuery> queries, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        SearchResult Run(BenchQuery q, SearchScope scope) => service.Search(index, new SearchRequest(q.Lucene, scope, Page: 1, PageSize: 20));

        Console.WriteLine("[query] hits per query (in the clerk's scope / all documents), first snippet:");
        foreach (var q in queries)
        {
            var r = Run(q, ClerkScope);
            var all = Run(q, new SearchScope(null, (Confidentiality)3));
            var first = r.Hits.FirstOrDefault();
            var snippet = first?.Snippet is { } s ? (s.Length > 90 ? s[..90] + "…" : s).ReplaceLineEndings(" ") : "-";
            Console.WriteLine(string.Create(inv, $"[query]   {q.Class,-9} {q.Lucene,-34} {r.Total,7} / {all.Total,7} ({100.0 * all.Total / Math.Max(1, index.DocumentCount),5:0.0} %)  p.{first?.Page?.ToString(inv) ?? "-"} {snippet}"));
        }

        Console.WriteLine($"[query] {o.Searchers} searchers, {service.Slots} search slots (at most {service.Slots} searches run at once)");
        Console.WriteLine($"[query] warming up: {o.Warmup} passes over all {queries.Count} queries per searcher …");
        Concurrent(o.Searchers, (client, k) => k < o.Warmup * queries.Count, (client, k) => Run(queries[(client + k) % queries.Count], ClerkScope), TimeSpan.MaxValue, ct);

        var results = new List<ClassResult>();
        foreach (var cls in SearchCorpus.Classes)
        {
            var set = queries.Where(q => q.Class == cls).ToArray();
            var gc = GcUse.Start();
            var cpu = new CpuMeter(null);
            var perQuery = new System.Collections.Concurrent.ConcurrentQueue<(string Query, long Ticks)>();
            var (ticks, seconds) = Concurrent(o.Searchers, (_, k) => k < o.Queries, (client, k) =>
            {
                var q = set[(client * 3 + k) % set.Length];
                var t0 = Stopwatch.GetTimestamp();
                var r = Run(q, ClerkScope);
                perQuery.Enqueue((q.Lucene, Stopwatch.GetTimestamp() - t0));
                if (r.Hits.Count > 20) throw new InvalidOperationException("more than a page of hits");
            }, TimeSpan.MaxValue, ct);
            results.Add(Report("ecase", cls, ticks, seconds, cpu.Stop()));
            Console.WriteLine($"[ecase]   {gc.Describe(ticks.Count)}");
            var slowest = perQuery.GroupBy(x => x.Query).Select(g => (Query: g.Key, Latency: Latency.Of([.. g.Select(x => x.Ticks)])))
                .OrderByDescending(x => x.Latency.P99Ms).Take(3);
            Console.WriteLine($"[ecase]   slowest: {string.Join("; ", slowest.Select(x => string.Create(inv, $"{x.Query} p50 {x.Latency.P50Ms:0.0} p99 {x.Latency.P99Ms:0.0} ms")))}");
        }

        return results;
    }

    /// <summary>Runs <paramref name="clients"/> threads, each calling <paramref name="op"/> while <paramref name="more"/> says so and the time allows; returns every call's latency.</summary>
    public static (List<long> Ticks, double Seconds) Concurrent(int clients, Func<int, int, bool> more, Action<int, int> op, TimeSpan limit, CancellationToken ct)
    {
        var all = new List<long>[clients];
        var errors = new Exception?[clients];
        var start = Stopwatch.GetTimestamp();
        var deadline = limit == TimeSpan.MaxValue ? long.MaxValue : start + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        var threads = Enumerable.Range(0, clients).Select(c => new Thread(() =>
        {
            var ticks = all[c] = new List<long>(1024);
            try
            {
                for (var k = 0; more(c, k) && Stopwatch.GetTimestamp() < deadline; k++)
                {
                    ct.ThrowIfCancellationRequested();
                    var t0 = Stopwatch.GetTimestamp();
                    op(c, k);
                    ticks.Add(Stopwatch.GetTimestamp() - t0);
                }
            }
#pragma warning disable CA1031 // rethrown below on the calling thread
            catch (Exception e)
#pragma warning restore CA1031
            {
                errors[c] = e;
            }
        })
        { IsBackground = true, Name = $"bench-client-{c}" }).ToList();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        ct.ThrowIfCancellationRequested();
        if (errors.FirstOrDefault(e => e is not null) is { } error) throw new InvalidOperationException($"a client failed: {error.Message}", error);
        return ([.. all.SelectMany(t => t)], Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    public static ClassResult Report(string engine, string cls, List<long> ticks, double seconds, CpuUse cpu)
    {
        var inv = CultureInfo.InvariantCulture;
        var latency = Latency.Of(ticks);
        var max = ticks.Count == 0 ? double.NaN : ticks.Max() * 1000.0 / Stopwatch.Frequency;
        var qps = ticks.Count / seconds;
        Console.WriteLine(string.Create(inv,
            $"[{engine}] {cls,-9} n={latency.Count,-5} p50={latency.P50Ms,8:0.00} ms  p99={latency.P99Ms,8:0.00} ms  max={max,8:0.00} ms  mean={latency.MeanMs,8:0.00} ms  {qps,7:0.0} q/s"));
        Console.WriteLine($"[{engine}]   {cpu.Describe(qps)}");
        return new ClassResult(engine, cls, latency, max, qps, cpu);
    }

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
}

/// <summary>What the garbage collector did during a phase: bytes allocated per operation, collections, pause time.</summary>
public sealed class GcUse
{
    private readonly long _allocated = GC.GetTotalAllocatedBytes();
    private readonly int[] _collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan _paused = GC.GetTotalPauseDuration();

    private GcUse()
    {
    }

    public static GcUse Start() => new();

    public string Describe(int ops) => string.Create(CultureInfo.InvariantCulture,
        $"gc: {(GC.GetTotalAllocatedBytes() - _allocated) / 1024.0 / Math.Max(1, ops):0} KB allocated per op; collections gen0/1/2 " +
        $"{GC.CollectionCount(0) - _collections[0]}/{GC.CollectionCount(1) - _collections[1]}/{GC.CollectionCount(2) - _collections[2]}, " +
        $"paused {(GC.GetTotalPauseDuration() - _paused).TotalMilliseconds:0} ms");
}
