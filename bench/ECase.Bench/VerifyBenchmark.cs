using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using ECase.Application.Content;
using ECase.Application.Integrity;
using ECase.Application.Security;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.Files;
using ECase.Infrastructure;
using ECase.Infrastructure.Integrity;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ECase.Bench;

/// <summary>Command line of <c>verify</c>: <c>verify [--quick] [--events N] [--content-mb M]</c>.</summary>
public sealed class VerifyBenchOptions
{
    public int Events { get; private set; } = 100_000;
    public int ContentMb { get; private set; } = 1024;
    public int BlobKb { get; private set; } = 100;
    public int Seed { get; private set; } = 20261129;

    /// <summary>How often the chain-only pass runs; <c>chain_eps</c> is the median.</summary>
    public int ChainRuns { get; private set; } = 3;

    public string ConnectionString { get; private set; } =
        Environment.GetEnvironmentVariable("ECASE_PG") is { Length: > 0 } pg ? pg : BenchOptions.DefaultConnectionString;

    public static string Usage => """
        usage: ECase.Bench verify [--quick] [--events N] [--content-mb M] [options]
          --quick           10,000 events and 100 MB of content (whole run < 60 s)
          --events N        events in the generated store (default 100000)
          --content-mb M    MB of content blobs (default 1024)
          --blob-kb K       average blob size in KB, sizes spread 0.5x-1.5x (default 100)
          --seed S          generator seed (default 20261129)
          --chain-runs N    chain-only passes of `verify all --no-content`, chain_eps is their median (default 3)
          --pg CONNSTR      PostgreSQL connection string (default $ECASE_PG or the project-local cluster)
        """;

    public static VerifyBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new VerifyBenchOptions();
        int? events = null, mb = null;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{a} needs a value.");
            int NextInt(int min) =>
                int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min
                    ? v : throw new ArgumentException($"{a} needs a whole number >= {min}.");
            switch (a)
            {
                case "verify": break;
                case "--quick": o.Events = 10_000; o.ContentMb = 100; break;
                case "--events": events = NextInt(100); break;
                case "--content-mb": mb = NextInt(1); break;
                case "--blob-kb": o.BlobKb = NextInt(1); break;
                case "--seed": o.Seed = NextInt(0); break;
                case "--chain-runs": o.ChainRuns = NextInt(1); break;
                case "--pg": o.ConnectionString = Next(); break;
                case "--api-dll": Next(); break; // passed by bench/run.sh, not needed here
                case "-h" or "--help": throw new ArgumentException("");
                default: throw new ArgumentException($"Unknown option {a}.");
            }
        }

        if (events is { } e) o.Events = e;
        if (mb is { } m) o.ContentMb = m;
        return o;
    }
}

/// <summary>
/// <c>verify</c>: generates a store (files with cases, DocumentAdded events with content references, blobs in the content
/// store's layout), lets the chain job catch up and seals, then times the store-wide pass of <c>verify all</c> without the
/// blobs (chain-only, the median of <c>--chain-runs</c>) and with them (full), a content-only pass with its building
/// blocks, and <c>sha256sum</c> over the same blob files.
/// </summary>
public static class VerifyBenchmark
{
    private const int CasesPerFile = 4;
    private const int EventsPerFile = 50;
    private static readonly Actor Clerk = new("clerk-ha", Roles.Clerk, "HA");

    public static Task<int> MainAsync(string[] args) =>
        BenchMain.RunAsync(args, VerifyBenchOptions.Parse, VerifyBenchOptions.Usage, "cancelling: dropping the throwaway schema and content …", RunAsync);

    private static async Task<int> RunAsync(VerifyBenchOptions o, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"bench verify: events={o.Events} content_mb={o.ContentMb} blob_kb~{o.BlobKb} seed={o.Seed} cpus={Environment.ProcessorCount}"));
        var idle = new CpuMeter(null);
        await Task.Delay(1000, ct);
        var before = idle.Stop();
        Console.WriteLine(string.Create(inv,
            $"background load before the run: {before.MachineBusyCores:0.00}/{before.MachineCores:0} cores busy (postgres {before.PostgresCores ?? 0:0.00}); loadavg {LoadAverage()}"));

        var schema = Names.Schema("bench_verify");
        var root = Names.TempDirectory("ecase-bench-verify");
        var contentRoot = System.IO.Path.Combine(root, "content");
        Console.WriteLine($"[verify] schema {schema}, content store {contentRoot}");
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Marten"] = o.ConnectionString,
            ["Marten:Schema"] = schema,
            ["ContentStore:Root"] = contentRoot,
            ["Search:Path"] = System.IO.Path.Combine(root, "search-index"),
            ["ServerKey:CertificatePath"] = System.IO.Path.Combine(root, "server-key.pfx"),
            ["ServerKey:CreateIfMissing"] = "true",
            // The benchmark chains and seals itself, after generating.
            ["Integrity:ChainIntervalMs"] = "0",
            ["Integrity:SealIntervalSeconds"] = "0",
            // Nothing here searches; indexing the freshly generated events would run in the background of the timed passes
            // (`./ecase.sh verify` starts no background services either).
            ["Search:Indexing"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddECaseCore();
        var host = builder.Build();
        try
        {
            await host.StartAsync(ct);
            var sp = host.Services;
            var blobs = await GenerateAsync(o, sp, contentRoot, ct);
            var integrity = sp.GetRequiredService<IntegrityService>();

            // The chain job follows Marten's high-water mark (advanced by the async daemon): chain until all events are in.
            var watch = Stopwatch.StartNew();
            long chained = 0;
            while (chained < o.Events)
            {
                var n = await integrity.ChainPendingAsync(ct);
                chained += n;
                if (n == 0)
                {
                    if (watch.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"only {chained} of {o.Events} events chained after 5 minutes");
                    await Task.Delay(100, ct);
                }
            }

            var chainJob = watch.Elapsed.TotalSeconds;
            var seal = await integrity.SealAsync(ct) ?? throw new InvalidOperationException("nothing sealed");
            Console.WriteLine(string.Create(inv,
                $"[chain job] {chained} events chained in {chainJob:0.00} s (incl. waiting for the high-water mark) = {chained / chainJob:0} events/s; seal {seal.Id} over {seal.Leaves} heads"));

            // Chain-only: `verify all --no-content`, the store-wide pass over streams, chains and seals without the blobs.
            var chainRuns = new List<Run>();
            for (var i = 1; i <= o.ChainRuns; i++) chainRuns.Add(await VerifyAllAsync($"chain-only {i}/{o.ChainRuns}", integrity, o.Events, content: false, ct));
            var chainOnly = chainRuns.OrderBy(r => r.Seconds).ElementAt(chainRuns.Count / 2);
            // (a) `verify all` as the CLI runs it: everything, every distinct blob rehashed.
            var full = await VerifyAllAsync("full", integrity, o.Events, content: true, ct);
            // Content-only: the blob loop of the verification (IContentStore.OpenRead, which rehashes, read in 256 KB chunks).
            var content = await ContentOnlyAsync(sp.GetRequiredService<IContentStore>(), blobs, ct);
            // (b) sha256sum over the same files, one process, listed through xargs.
            var sha = await Sha256sumAsync(contentRoot, blobs, ct);

            var fullContentSeconds = full.Seconds - chainOnly.Seconds;
            var fullContentMbps = fullContentSeconds > 0 ? full.Bytes / 1e6 / fullContentSeconds : double.NaN;
            Console.WriteLine(string.Create(inv,
                $"full verify: {full.Events} events, {full.Bytes / 1e6:0.0} MB in {full.Seconds:0.00} s; minus chain-only (median) {chainOnly.Seconds:0.00} s => content part {fullContentSeconds:0.00} s = {fullContentMbps:0.0} MB/s (cross-check)"));
            var contentMbps = content.Bytes / 1e6 / content.Seconds;
            var shaMbps = sha.Bytes / 1e6 / sha.Seconds;
            var chainEps = chainOnly.Events / chainOnly.Seconds;
            Console.WriteLine(string.Create(inv,
                $"targets: content >= 70% of sha256sum ({contentMbps / shaMbps * 100:0}%: {(contentMbps >= 0.7 * shaMbps ? "met" : "MISSED")}), chain > 50000 events/s ({chainEps:0}: {(chainEps > 50_000 ? "met" : "MISSED")})"));
            Console.WriteLine(string.Create(inv,
                $"RESULT verify content_mbps={contentMbps:0.0} sha256sum_mbps={shaMbps:0.0} ratio_sha256sum={contentMbps / shaMbps:0.00} chain_eps={chainEps:0}"));
            return 0;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
            await Sql.DropSchemaAsync(o.ConnectionString, schema);
            Names.DeleteDirectory(root);
            Console.Error.WriteLine($"deleted {root}");
        }
    }

    private sealed record Blob(string Sha256, string Path, long Size);

    private sealed record Run(int Streams, long Events, long Bytes, double Seconds);

    /// <summary>Files of 1 FileOpened + 4 CaseAddedToFile; cases of CaseOpened, DocumentAdded (one blob each) and CaseRenamed as filler.</summary>
    private static async Task<List<Blob>> GenerateAsync(VerifyBenchOptions o, IServiceProvider sp, string contentRoot, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(o.Seed);
        var files = Math.Max(1, o.Events / EventsPerFile);
        var cases = files * CasesPerFile;
        var caseEvents = o.Events - (files * (1 + CasesPerFile)) - cases;
        var avg = o.BlobKb * 1024L;
        var target = o.ContentMb * 1024L * 1024L;
        var blobCount = (int)Math.Min(Math.Max(1, target / avg), caseEvents);

        // Blobs: seeded random bytes, written where FileSystemContentStore keeps them (root/ab/cd/abcd…).
        var blobs = new List<Blob>(blobCount);
        long written = 0;
        for (var i = 0; i < blobCount; i++)
        {
            var remaining = target - written;
            var size = i == blobCount - 1 ? Math.Max(1, remaining) : Math.Max(1, (long)(avg * (0.5 + random.NextDouble())));
            var bytes = new byte[size];
            random.NextBytes(bytes);
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            var dir = System.IO.Path.Combine(contentRoot, sha[..2], sha[2..4]);
            System.IO.Directory.CreateDirectory(dir);
            var path = System.IO.Path.Combine(dir, sha);
            await System.IO.File.WriteAllBytesAsync(path, bytes, ct);
            blobs.Add(new Blob(sha, path, size));
            written += size;
        }

        var blobSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[generate] {blobCount} blobs, {written / 1e6:0.0} MB in {blobSeconds:0.0} s"));

        // Events: straight through Marten, many streams per session.
        var store = sp.GetRequiredService<IDocumentStore>();
        var planUnit = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        var nextBlob = 0;
        var fillers = caseEvents - blobCount;
        long appended = 0;
        const int FilesPerSession = 100;
        for (var f0 = 0; f0 < files; f0 += FilesPerSession)
        {
            await using var session = store.LightweightSession();
            for (var f = f0; f < Math.Min(files, f0 + FilesPerSession); f++)
            {
                var fileId = Guid.CreateVersion7();
                var fileStream = new List<object>
                {
                    new FileOpened(fileId, string.Create(CultureInfo.InvariantCulture, $"99.1-{f + 1}/2026"), $"Bench file {f + 1}", planUnit, "99.1", "HA", Confidentiality.Open, Clerk, now),
                };
                for (var c = 0; c < CasesPerFile; c++)
                {
                    var caseNo = (f * CasesPerFile) + c;
                    var caseId = Guid.CreateVersion7();
                    fileStream.Add(new CaseAddedToFile(fileId, caseId, $"Bench case {caseNo + 1}", Clerk, now));
                    var caseStream = new List<object> { new CaseOpened(caseId, fileId, $"Bench case {caseNo + 1}", "HA", Clerk, now) };
                    // Spread the blobs and fillers evenly over the cases.
                    var docs = ShareOf(blobCount, cases, caseNo);
                    var fill = ShareOf(fillers, cases, caseNo);
                    for (var d = 0; d < docs; d++)
                    {
                        var blob = blobs[nextBlob++];
                        caseStream.Add(new DocumentAdded(caseId, Guid.CreateVersion7(), $"Document {nextBlob}", null,
                            new ContentRef(blob.Sha256, blob.Size, "application/pdf", $"document-{nextBlob}.pdf"), Clerk, now));
                    }

                    for (var r = 0; r < fill; r++) caseStream.Add(new CaseRenamed(caseId, $"Bench case {caseNo + 1} ({r + 1})", Clerk, now));
                    session.Events.StartStream(caseId, caseStream);
                    appended += caseStream.Count;
                }

                session.Events.StartStream(fileId, fileStream);
                appended += fileStream.Count;
            }

            await session.SaveChangesAsync(ct);
        }

        if (appended != o.Events || nextBlob != blobCount) throw new InvalidOperationException($"generated {appended} events / {nextBlob} blobs, expected {o.Events} / {blobCount}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[generate] {appended} events in {files} files, {cases} cases ({blobCount} DocumentAdded) in {watch.Elapsed.TotalSeconds - blobSeconds:0.0} s"));
        return blobs;
    }

    /// <summary>Item <paramref name="index"/>'s share when <paramref name="total"/> is spread over <paramref name="parts"/>.</summary>
    private static int ShareOf(int total, int parts, int index) => (int)(((long)total * (index + 1) / parts) - ((long)total * index / parts));

    private static async Task<Run> VerifyAllAsync(string name, IIntegrityService integrity, long expectedEvents, bool content, CancellationToken ct)
    {
        var cpu = new CpuMeter(null);
        var watch = Stopwatch.StartNew();
        var report = await integrity.VerifyAllAsync(content, null, ct);
        var seconds = watch.Elapsed.TotalSeconds;
        var use = cpu.Stop();
        if (!report.Intact)
        {
            var first = report.FirstMismatch!;
            throw new InvalidOperationException($"{name}: the store does not verify ({report.Files.Count} files, {report.OtherProblems.Count} other problems): {first.Kind}: {first.Detail}");
        }

        if (report.Events != expectedEvents || report.UnchainedEvents > 0)
            throw new InvalidOperationException($"{name}: {report.Events} events verified ({report.UnchainedEvents} unchained), expected {expectedEvents}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{name}] {report.Events} events in {report.Streams} streams ({report.FileStreams} files), {report.Seals} seals, {report.Blobs} blobs, {report.BlobBytes / 1e6:0.0} MB in {seconds:0.00} s = {report.Events / seconds:0} events/s, {report.BlobBytes / 1e6 / seconds:0.0} MB/s; machine {use.MachineBusyCores:0.00} cores busy (bench {use.BenchCores:0.00}, postgres {use.PostgresCores ?? 0:0.00})"));
        return new Run(report.Streams, report.Events, report.BlobBytes, seconds);
    }

    private static async Task<Run> ContentOnlyAsync(IContentStore store, List<Blob> blobs, CancellationToken ct)
    {
        var cpu = new CpuMeter(null);
        var watch = Stopwatch.StartNew();
        var buffer = new byte[256 * 1024];
        long bytes = 0;
        foreach (var blob in blobs)
        {
            long read = 0;
            await using (var content = store.OpenRead(blob.Sha256))
            {
                int n;
                while ((n = await content.ReadAsync(buffer, ct)) > 0) read += n;
            }

            if (read != blob.Size) throw new InvalidOperationException($"blob {blob.Sha256}: {read} bytes, expected {blob.Size}");
            bytes += read;
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var use = cpu.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[content-only] {blobs.Count} blobs, {bytes / 1e6:0.0} MB in {seconds:0.00} s = {bytes / 1e6 / seconds:0.0} MB/s; machine {use.MachineBusyCores:0.00} cores busy (bench {use.BenchCores:0.00})"));
        return new Run(0, 0, bytes, seconds);
    }

    private static async Task<Run> Sha256sumAsync(string contentRoot, List<Blob> blobs, CancellationToken ct)
    {
        var list = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(contentRoot)!, "blobs.list");
        await System.IO.File.WriteAllTextAsync(list, string.Concat(blobs.Select(b => b.Path + "\0")), ct);
        var info = new ProcessStartInfo("xargs", ["-0", "-a", list, "sha256sum"]) { RedirectStandardOutput = true, UseShellExecute = false };
        var cpu = new CpuMeter(null);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start xargs sha256sum");
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var seconds = watch.Elapsed.TotalSeconds;
        var use = cpu.Stop();
        if (process.ExitCode != 0) throw new InvalidOperationException($"sha256sum exited with {process.ExitCode}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var wrong = lines.Count(l => l.Length < 66 || !l.EndsWith(l[..64], StringComparison.Ordinal));
        if (lines.Length != blobs.Count || wrong > 0) throw new InvalidOperationException($"sha256sum: {lines.Length} lines for {blobs.Count} blobs, {wrong} hashes not matching the file name");
        var bytes = blobs.Sum(b => b.Size);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[sha256sum] {blobs.Count} files, {bytes / 1e6:0.0} MB in {seconds:0.00} s = {bytes / 1e6 / seconds:0.0} MB/s; machine {use.MachineBusyCores:0.00} cores busy"));
        return new Run(0, 0, bytes, seconds);
    }

    private static string LoadAverage()
    {
        try
        {
            return System.IO.File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (System.IO.IOException)
        {
            return "n/a";
        }
    }
}
