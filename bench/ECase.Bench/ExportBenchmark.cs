using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Xml;
using ECase.Application.Content;
using ECase.Application.Integrity;
using ECase.Application.Scanning;
using ECase.Application.Security;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.FilePlans;
using ECase.Domain.Files;
using ECase.Infrastructure;
using ECase.Infrastructure.Pdf;
using ECase.Infrastructure.Xdomea;
using Marten;
using Marten.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ECase.Bench;

/// <summary>Command line of <c>export</c>: <c>export [--quick] [--docs N] [--keep DIR]</c>.</summary>
public sealed class ExportBenchOptions
{
    public IReadOnlyList<int> Sizes { get; private set; } = [1_000, 10_000];
    public int DocKb { get; private set; } = 100;
    public int DocsPerCase { get; private set; } = 100;
    public int Seed { get; private set; } = 20261130;
    public string? Keep { get; private set; }

    public string ConnectionString { get; private set; } =
        Environment.GetEnvironmentVariable("ECASE_PG") is { Length: > 0 } pg ? pg : BenchOptions.DefaultConnectionString;

    public static string Usage => """
        usage: ECase.Bench export [--quick] [--docs N] [--keep DIR] [options]
          --quick            1,000 documents only (whole run < 60 s)
          --docs N           one run with N documents (default: 1,000, then 10,000)
          --keep DIR         leave the 0503 container (and the 0501 of the same file) of each run in DIR
          --doc-kb K         average document size in KB, sizes spread 0.75x-1.25x (default 100)
          --docs-per-case M  documents per case of the one file (default 100)
          --seed S           generator seed (default 20261130)
          --pg CONNSTR       PostgreSQL connection string (default $ECASE_PG or the project-local cluster)
        """;

    public static ExportBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new ExportBenchOptions();
        int? docs = null;
        var quick = false;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{a} needs a value.");
            int NextInt(int min) =>
                int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min
                    ? v : throw new ArgumentException($"{a} needs a whole number >= {min}.");
            switch (a)
            {
                case "export": break;
                case "--quick": quick = true; break;
                case "--docs": docs = NextInt(1); break;
                case "--keep": o.Keep = System.IO.Path.GetFullPath(Next()); break;
                case "--doc-kb": o.DocKb = NextInt(1); break;
                case "--docs-per-case": o.DocsPerCase = NextInt(1); break;
                case "--seed": o.Seed = NextInt(0); break;
                case "--pg": o.ConnectionString = Next(); break;
                case "--api-dll": Next(); break; // passed by bench/run.sh, not needed here
                case "-h" or "--help": throw new ArgumentException("");
                default: throw new ArgumentException($"Unknown option {a}.");
            }
        }

        if (docs is { } n) o.Sizes = [n];
        else if (quick) o.Sizes = [1_000];
        return o;
    }
}

/// <summary>
/// <c>export</c>: one closed file with N PDF/A documents (~100 KB each, distinct bytes), stored as the application stores
/// them (content store, Marten events), chained and sealed; then the 0503 transfer package builder (documents/s and the
/// process's peak memory while it runs) against <c>zip -0</c> over the same blob files.
/// </summary>
public static class ExportBenchmark
{
    private static readonly Actor Clerk = new("clerk-ha", Roles.Clerk, "HA");
    private static readonly Actor Registrar = new("registrar", Roles.Registrar, "HA");
    private static readonly XdomeaParty Agency = new("Stadt Musterstadt", "Hauptamt");
    private static readonly XdomeaParty Archive = new("Stadtarchiv Musterstadt");

    private sealed record Run(int Docs, long ContentBytes, long ZipBytes, double Seconds, double ZipSeconds, double PeakMb, double BeforeMb, double SampledPeakMb, double AllocatedMb)
    {
        public double DocsPerSecond => Docs / Seconds;
        public double ZipDocsPerSecond => Docs / ZipSeconds;
        public double Ratio => DocsPerSecond / ZipDocsPerSecond;
    }

    public static Task<int> MainAsync(string[] args) =>
        BenchMain.RunAsync(args, ExportBenchOptions.Parse, ExportBenchOptions.Usage, "cancelling: dropping the throwaway schema and content …", RunAsync);

    private static async Task<int> RunAsync(ExportBenchOptions o, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv,
            $"bench export: sizes={string.Join(',', o.Sizes)} doc_kb~{o.DocKb} docs_per_case={o.DocsPerCase} seed={o.Seed} cpus={Environment.ProcessorCount} gc={(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}"));
        var idle = new CpuMeter(null);
        await Task.Delay(1000, ct);
        var before = idle.Stop();
        Console.WriteLine(string.Create(inv,
            $"background load before the run: {before.MachineBusyCores:0.00}/{before.MachineCores:0} cores busy (postgres {before.PostgresCores ?? 0:0.00}); loadavg {LoadAverage()}"));
        if (o.Keep is { } keep) System.IO.Directory.CreateDirectory(keep);

        var page = await PageJpegAsync(ct);
        var runs = new List<Run>();
        for (var i = 0; i < o.Sizes.Count; i++) runs.Add(await RunSizeAsync(o, o.Sizes[i], page, warmUp: i == 0, ct));

        foreach (var r in runs)
        {
            Console.WriteLine(string.Create(inv,
                $"[export] docs={r.Docs} docs_per_s={r.DocsPerSecond:0.0} zip_docs_per_s={r.ZipDocsPerSecond:0.0} ratio_zip={r.Ratio:0.00} peak_mb={r.PeakMb:0.0} rss_before_mb={r.BeforeMb:0.0} zip_mb={r.ZipBytes / 1e6:0.0}"));
        }

        var largest = runs.MaxBy(r => r.Docs)!;
        var peak = runs.Max(r => r.PeakMb);
        Console.WriteLine(string.Create(inv,
            $"targets: ratio_zip >= 0.5 ({string.Join(", ", runs.Select(r => string.Create(inv, $"{r.Docs}: {r.Ratio:0.00}")))}: {(runs.All(r => r.Ratio >= 0.5) ? "met" : "MISSED")}), " +
            $"peak < 300 MB ({peak:0} MB: {(peak < 300 ? "met" : "MISSED")})"));
        var perSize = string.Concat(runs.Where(r => r != largest).Select(r => string.Create(inv, $" docs_per_s_{r.Docs}={r.DocsPerSecond:0.0} ratio_zip_{r.Docs}={r.Ratio:0.00}")));
        Console.WriteLine(string.Create(inv,
            $"RESULT export docs={largest.Docs} docs_per_s={largest.DocsPerSecond:0.0} zip_docs_per_s={largest.ZipDocsPerSecond:0.0} ratio_zip={largest.Ratio:0.00} peak_mb={peak:0.0}{perSize}"));
        return 0;
    }

    private static async Task<Run> RunSizeAsync(ExportBenchOptions o, int docs, byte[] page, bool warmUp, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        var schema = Names.Schema("bench_export");
        var root = Names.TempDirectory("ecase-bench-export");
        var contentRoot = System.IO.Path.Combine(root, "content");
        Console.WriteLine($"[{docs}] schema {schema}, content store {contentRoot}");
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
            // Nothing else works while the export is measured: no indexer, no chain or seal timer, no derived formats.
            ["Search:Indexing"] = "false",
            ["Scanning:DeriveFormats"] = "false",
            ["ServerKey:CertificatePath"] = System.IO.Path.Combine(root, "server-key.pfx"),
            ["ServerKey:CreateIfMissing"] = "true",
            ["Integrity:ChainIntervalMs"] = "0",
            ["Integrity:SealIntervalSeconds"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:ECase.Infrastructure.Signatures.ServerSigner"] = "Error", // "created a self-signed key": expected here
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddECaseCore();
        var host = builder.Build();
        try
        {
            await host.StartAsync(ct);
            var sp = host.Services;
            var (fileId, offered, blobs) = await SeedAsync(o, docs, page, sp, ct);
            await ChainAndSealAsync(sp, ct);

            var export = sp.GetRequiredService<ITransferPackageBuilder>();
            var processId = Guid.CreateVersion7();
            var selection = new TransferSelection(processId, XdomeaVersion.V3_1_0, Agency, Archive, [new TransferredFile(fileId, new HashSet<Guid>())]);
            var output = System.IO.Path.Combine(root, TransferPackage.ContainerName(processId));
            if (warmUp)
            {
                // JIT, Marten's and Npgsql's first queries; also reads every blob once, as zip's run below finds them in the page cache too.
                var warm = Stopwatch.StartNew();
                await export.BuildAsync(selection, output, null, ct);
                System.IO.File.Delete(output);
                Console.WriteLine(string.Create(inv, $"[{docs}] warm-up build {warm.Elapsed.TotalSeconds:0.00} s (not counted)"));
            }

            // Peak memory: the whole process's resident set (managed heap + native: Npgsql, zlib, buffers, JIT'd code, the
            // host), as the kernel counts it. VmHWM is reset to the current RSS right before the build (/proc/self/clear_refs,
            // "5") and read right after; a 5 ms sampler of VmRSS cross-checks it. rss_before is the RSS at the start.
            // The seeding's garbage is not the job's: collect it, and hand freed native memory (glibc arenas) back to the OS.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            Memory.TrimNative();
            var reset = Memory.ResetPeak();
            var rssBefore = Memory.StatusKb("VmRSS");
            var heapBefore = GC.GetGCMemoryInfo();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            using var sampler = new Memory.Sampler();
            var cpu = new CpuMeter(null);
            var reports = 0;
            var watch = Stopwatch.StartNew();
            var result = await export.BuildAsync(selection, output, new Counter(() => reports++), ct);
            var seconds = watch.Elapsed.TotalSeconds;
            var use = cpu.Stop();
            var sampled = sampler.Stop();
            var peakKb = reset ? Memory.StatusKb("VmHWM") : sampled;
            var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1e6;
            var contentBytes = blobs.Sum(b => b.Size);
            Console.WriteLine(string.Create(inv,
                $"[{docs}] 0503 builder: {result.Documents} documents, {result.PrimaryFiles} primary files, {contentBytes / 1e6:0.0} MB content -> {result.ZipBytes / 1e6:0.0} MB ZIP in {seconds:0.00} s " +
                $"= {docs / seconds:0.0} docs/s, {contentBytes / 1e6 / seconds:0.0} MB/s; {reports} progress reports; machine {use.MachineBusyCores:0.00} cores busy (bench {use.BenchCores:0.00}, postgres {use.PostgresCores ?? 0:0.00})"));
            Console.WriteLine(string.Create(inv,
                $"[{docs}] memory: peak RSS {peakKb / 1024.0:0.0} MB ({(reset ? "VmHWM after reset" : "sampled, VmHWM reset unavailable")}; sampled {sampled / 1024.0:0.0} MB), " +
                $"RSS before {rssBefore / 1024.0:0.0} MB (managed heap {heapBefore.HeapSizeBytes / 1048576.0:0.0} MB live, {heapBefore.TotalCommittedBytes / 1048576.0:0.0} MB committed), " +
                $"+{(peakKb - rssBefore) / 1024.0:0.0} MB during the build; {allocated:0.0} MB allocated on the managed heap during the build"));
            if (result.Documents != docs || result.PrimaryFiles != docs || result.Warnings.Count > 0)
                throw new InvalidOperationException($"unexpected package: {result.Documents} documents, {result.PrimaryFiles} primary files, warnings: {string.Join("; ", result.Warnings)}");
            Check(output, processId, docs, result.ZipSha256);
            if (o.Keep is { } keep)
            {
                System.IO.File.Copy(output, System.IO.Path.Combine(keep, TransferPackage.ContainerName(processId)), overwrite: true);
                OfferList.Write(processId, Agency, Archive, DateTimeOffset.UtcNow, [offered])
                    .Save(System.IO.Path.Combine(keep, $"{processId:D}_{OfferList.MessageType}.xml"));
                Console.WriteLine($"[{docs}] kept {TransferPackage.ContainerName(processId)} and its 0501 in {keep}");
            }

            System.IO.File.Delete(output);
            var zipSeconds = await ZipAsync(root, blobs, ct);
            Console.WriteLine(string.Create(inv, $"[{docs}] zip -0: {docs} blob files in {zipSeconds:0.00} s = {docs / zipSeconds:0.0} docs/s, {contentBytes / 1e6 / zipSeconds:0.0} MB/s"));
            return new Run(docs, contentBytes, result.ZipBytes, seconds, zipSeconds, peakKb / 1024.0, rssBefore / 1024.0, sampled / 1024.0, allocated);
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

    private sealed record Blob(string Path, long Size);

    /// <summary>
    /// One plan unit, one closed file with cases of <see cref="ExportBenchOptions.DocsPerCase"/> documents. Each document is
    /// a PDF/A-2b written by the application's own writer around the page image, with a seeded random JPEG comment so
    /// its bytes (and size, 0.75–1.25 × the average) differ; stored through IContentStore (stage, fsync, promote).
    /// </summary>
    private static async Task<(Guid FileId, OfferedFile Offered, List<Blob> Blobs)> SeedAsync(ExportBenchOptions o, int docs, byte[] page, IServiceProvider sp, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var random = new Random(o.Seed + docs);
        var store = sp.GetRequiredService<IDocumentStore>();
        var content = sp.GetRequiredService<IContentStore>();
        var writer = new SearchablePdfAWriter();
        var contentRoot = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ContentStoreOptions>>().Value.Root;
        var (width, height) = JpegSize(page);
        var overhead = PdfOf(writer, page, width, height, "x").Length - page.Length;

        var opened = new DateTimeOffset(2016, 3, 1, 9, 0, 0, TimeSpan.FromHours(1));
        var planId = NewId(random);
        var fileId = NewId(random);
        const string PlanCode = "32.10.05";
        var reference = $"HA-{PlanCode}-0007/2016";
        var cases = (docs + o.DocsPerCase - 1) / o.DocsPerCase;
        var caseIds = Enumerable.Range(0, cases).Select(_ => NewId(random)).ToList();
        var blobs = new List<Blob>(docs);
        var at = opened;
        for (var c = 0; c < cases; c++)
        {
            var events = new List<object> { new CaseOpened(caseIds[c], fileId, $"Bauantrag {c + 1}", "HA", Clerk, at) };
            for (var d = c * o.DocsPerCase; d < Math.Min(docs, (c + 1) * o.DocsPerCase); d++)
            {
                var target = (int)(o.DocKb * 1024 * (0.75 + (0.5 * random.NextDouble())));
                var jpeg = WithComment(page, random, $"ECase export benchmark document {d + 1}", Math.Max(0, target - overhead - page.Length));
                var pdf = PdfOf(writer, jpeg, width, height, $"Bescheid {d + 1}");
                StagedContent staged;
                using (var stream = new System.IO.MemoryStream(pdf, writable: false)) staged = await content.PutAsync(stream, ct);
                blobs.Add(new Blob(System.IO.Path.Combine(System.IO.Path.GetFullPath(contentRoot), staged.Sha256[..2], staged.Sha256[2..4], staged.Sha256), staged.Size));
                at = at.AddMinutes(7);
                events.Add(new DocumentAdded(caseIds[c], NewId(random), $"Bescheid {d + 1}", null,
                    new ContentRef(staged.Sha256, staged.Size, "application/pdf", $"Bescheid-{d + 1:D5}.pdf"), Clerk, at));
            }

            events.Add(new CaseClosed(caseIds[c], fileId, Clerk, at));
            await using var session = store.LightweightSession();
            session.Events.StartStream(caseIds[c], events);
            await session.SaveChangesAsync(ct);
        }

        var closed = at.AddDays(1);
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream(planId, new FilePlanUnitCreated(planId, PlanCode, "Bauanträge", 10, DisposalProposal.Archive, Registrar, opened.AddYears(-1)));
            var fileEvents = new List<object>
            {
                new FileOpened(fileId, reference, "Neubau Garage, Birkenweg 4", planId, PlanCode, "HA", Confidentiality.Open, Clerk, opened),
            };
            fileEvents.AddRange(caseIds.Select((id, i) => new CaseAddedToFile(fileId, id, $"Bauantrag {i + 1}", Clerk, opened)));
            fileEvents.AddRange(caseIds.Select(id => new FileCaseClosed(fileId, id, Clerk, closed)));
            fileEvents.Add(new FileClosed(fileId, Clerk, closed));
            session.Events.StartStream(fileId, fileEvents);
            await session.SaveChangesAsync(ct);
        }

        var bytes = blobs.Sum(b => b.Size);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{docs}] seeded 1 file, {cases} cases, {docs} PDF/A-2b documents ({bytes / 1e6:0.0} MB, {bytes / docs / 1024.0:0} KB average) in {watch.Elapsed.TotalSeconds:0.0} s"));
        var closedOn = DateOnly.FromDateTime(closed.DateTime);
        var offered = new OfferedFile(fileId, reference, "Neubau Garage, Birkenweg 4", PlanCode, "Bauanträge", Confidentiality.Open, 10, DisposalProposal.Archive,
            DateOnly.FromDateTime(opened.DateTime), closedOn, new DateOnly(closedOn.Year + 10, 12, 31),
            [.. caseIds.Select((id, i) => new OfferedCase(id, $"Bauantrag {i + 1}", DateOnly.FromDateTime(opened.DateTime), closedOn))]);
        return (fileId, offered, blobs);
    }

    /// <summary>The chain job follows Marten's high-water mark (the async daemon): chain until nothing is pending, then seal.</summary>
    private static async Task ChainAndSealAsync(IServiceProvider sp, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        await sp.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));
        var integrity = sp.GetRequiredService<IIntegrityService>();
        while (await integrity.ChainPendingAsync(ct) > 0)
        {
        }

        var seal = await integrity.SealAsync(ct) ?? throw new InvalidOperationException("nothing sealed");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[chain] chained and sealed ({seal.Leaves} heads) in {watch.Elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>After the measurement: the container holds message, manifest, evidence and one primary file per document, and the message is schema-valid (streamed).</summary>
    private static void Check(string path, Guid processId, int docs, string zipSha256)
    {
        using (var file = System.IO.File.OpenRead(path))
        {
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file));
            if (sha != zipSha256) throw new InvalidOperationException($"the container hashes to {sha}, the builder said {zipSha256}");
        }

        using var zip = ZipFile.OpenRead(path);
        if (zip.Entries.Count != docs + 3) throw new InvalidOperationException($"{zip.Entries.Count} entries, expected {docs + 3}");
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = XdomeaSchemas.For(XdomeaVersion.V3_1_0), DtdProcessing = DtdProcessing.Prohibit };
        var errors = 0;
        settings.ValidationEventHandler += (_, e) => errors++;
        using (var reader = XmlReader.Create(zip.GetEntry(TransferPackage.MessageEntry(processId))!.Open(), settings))
        {
            while (reader.Read())
            {
            }
        }

        if (errors > 0) throw new InvalidOperationException($"the message has {errors} schema errors");
        Console.WriteLine($"[check] SHA-256 as reported; {zip.Entries.Count} entries; message valid against the xdomea 3.1.0 schema");
    }

    /// <summary>The baseline: <c>zip -0 -q -j OUT -@</c> over the same blob files (names on stdin), into the same temp folder.</summary>
    private static async Task<double> ZipAsync(string root, List<Blob> blobs, CancellationToken ct)
    {
        var output = System.IO.Path.Combine(root, "baseline.zip");
        var info = new ProcessStartInfo("zip", ["-0", "-q", "-j", output, "-@"]) { RedirectStandardInput = true, UseShellExecute = false };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start zip (bench/run.sh installs it)");
        foreach (var blob in blobs) await process.StandardInput.WriteLineAsync(blob.Path.AsMemory(), ct);
        process.StandardInput.Close();
        await process.WaitForExitAsync(ct);
        var seconds = watch.Elapsed.TotalSeconds;
        if (process.ExitCode != 0) throw new InvalidOperationException($"zip exited with {process.ExitCode}");
        System.IO.File.Delete(output);
        return seconds;
    }

    /// <summary>One A4 page at 150 dpi, 8-bit gray, rendered once by Ghostscript (which ECase needs anyway for PDF/A).</summary>
    private static async Task<byte[]> PageJpegAsync(CancellationToken ct)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-bench-page-{Guid.NewGuid():N}.jpg");
        try
        {
            var info = new ProcessStartInfo("gs",
            [
                "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=jpeggray", "-r150", "-dJPEGQ=85", "-sPAPERSIZE=a4", "-dFIXEDMEDIA", $"-sOutputFile={path}",
                "-c", "/Helvetica findfont 18 scalefont setfont 72 760 moveto (Stadt Musterstadt - Bauaufsicht) show 72 730 moveto (Bescheid ueber die Baugenehmigung) show showpage",
            ])
            { UseShellExecute = false };
            using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start gs");
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0) throw new InvalidOperationException($"gs exited with {process.ExitCode}");
            return await System.IO.File.ReadAllBytesAsync(path, ct);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    private static byte[] PdfOf(SearchablePdfAWriter writer, byte[] jpeg, int width, int height, string title)
    {
        var words = new List<OcrWord> { new(title, 150, 150, 600, 40, 95, 1, 1) };
        var pdfPage = new OcrPage(1, title, 95, 0, width, height, 150, 150, words, jpeg);
        using var output = new System.IO.MemoryStream();
        writer.WriteSearchable([pdfPage], new PdfAMetadata(title, "ECase Bench", "Exportbenchmark", new DateTimeOffset(2016, 3, 1, 9, 0, 0, TimeSpan.Zero)), output);
        return output.ToArray();
    }

    /// <summary>The JPEG with COM segments right after SOI: a label, then seeded random bytes (decoders skip comments).</summary>
    private static byte[] WithComment(byte[] jpeg, Random random, string label, int padding)
    {
        var segments = new List<byte[]> { System.Text.Encoding.ASCII.GetBytes(label) };
        while (padding > 0)
        {
            var chunk = new byte[Math.Min(padding, 65_000)];
            random.NextBytes(chunk);
            segments.Add(chunk);
            padding -= chunk.Length + 4;
        }

        using var output = new System.IO.MemoryStream(jpeg.Length + segments.Sum(s => s.Length + 4));
        output.Write(jpeg, 0, 2);
        foreach (var s in segments)
        {
            var length = s.Length + 2;
            output.Write([0xFF, 0xFE, (byte)(length >> 8), (byte)length]);
            output.Write(s);
        }

        output.Write(jpeg, 2, jpeg.Length - 2);
        return output.ToArray();
    }

    private static (int Width, int Height) JpegSize(byte[] jpeg)
    {
        for (var i = 2; i + 9 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2)
                return ((jpeg[i + 7] << 8) | jpeg[i + 8], (jpeg[i + 5] << 8) | jpeg[i + 6]);
        }

        throw new InvalidOperationException("no JPEG frame header");
    }

    private static Guid NewId(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
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

    private sealed class Counter(Action report) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => report();
    }

    /// <summary>Resident set size of this process from /proc/self/status (Linux).</summary>
    private static class Memory
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
        private static extern int MallocTrim(nuint pad);

        public static void TrimNative()
        {
            try
            {
                _ = MallocTrim(0);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // not glibc: nothing to trim
            }
        }

        /// <summary>Writing "5" to clear_refs sets VmHWM back to the current RSS (Linux 4.0+).</summary>
        public static bool ResetPeak()
        {
            try
            {
                System.IO.File.WriteAllText("/proc/self/clear_refs", "5");
                return true;
            }
            catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        public static long StatusKb(string key)
        {
            foreach (var line in System.IO.File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(key + ":", StringComparison.Ordinal))
                    return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }

            throw new InvalidOperationException($"no {key} in /proc/self/status");
        }

        public sealed class Sampler : IDisposable
        {
            private readonly CancellationTokenSource _stop = new();
            private readonly Task _loop;
            private long _max;

            public Sampler()
            {
                _max = StatusKb("VmRSS");
                _loop = Task.Run(async () =>
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        _max = Math.Max(_max, StatusKb("VmRSS"));
                        try
                        {
                            await Task.Delay(5, _stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                            return;
                        }
                    }
                });
            }

            public long Stop()
            {
                _stop.Cancel();
                _loop.Wait();
                return Math.Max(_max, StatusKb("VmRSS"));
            }

            public void Dispose()
            {
                if (!_stop.IsCancellationRequested) Stop();
                _stop.Dispose();
            }
        }
    }
}
