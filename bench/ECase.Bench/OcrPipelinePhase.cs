using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ECase.Application.Cases;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.FilePlans;
using ECase.Application.Files;
using ECase.Application.Scanning;
using ECase.Application.Security;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.FilePlans;
using ECase.Domain.Scanning;
using ECase.Infrastructure;
using ECase.Infrastructure.Ocr;
using ECase.Infrastructure.Pdf;
using ECase.Projections.Cases;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Wolverine;

namespace ECase.Bench;

/// <summary>
/// (1) The ECase scanning pipeline in-process: the real host (<see cref="CoreSetup.AddECaseCore"/>, own Marten schema and
/// content store, default Ocr/Scanning configuration), every corpus file staged, promoted and recorded with
/// <see cref="RecordScan"/> through <see cref="IMessageBus"/>, then the durable RunOcr jobs (deskew, Tesseract, JPEG,
/// PDF/A-2b, events) until every version shows OCR completed with its rendition.
/// </summary>
public static class OcrPipelinePhase
{
    private const string PlanUnitCode = "99.7";
    private static readonly CurrentUser Clerk = new("clerk-ha", "Hanna Albrecht", Roles.Clerk, "HA", Confidentiality.Restricted);
    private static readonly CurrentUser Registrar = new("registrar", "Rita Registratur", Roles.Registrar, "REG", Confidentiality.Confidential);

    /// <summary>At: when RecordScan returned; Steps: seconds spent staging, counting pages, promoting (fsync) and in RecordScan.</summary>
    private sealed record Submitted(CorpusFile File, Guid DocumentId, long At, double[] Steps);

    public static async Task<OcrPhaseResult> RunAsync(OcrOptions o, OcrCorpus corpus, byte[] warmUpPng, List<string> failures, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        var schema = Names.Schema("bench_ocr");
        var contentRoot = Names.TempDirectory("ecase-bench-ocr-content");
        Console.WriteLine($"[pipeline] schema {schema}, content store {contentRoot}{(o.CasePerScan ? ", EXPERIMENT: one case per scan" : "")}");

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
            ["Search:Path"] = System.IO.Path.Combine(contentRoot, "search-index"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.ClearProviders();
        var log = new OcrLogProvider("[pipeline]");
        builder.Logging.AddProvider(log);
        builder.AddECaseCore();

        // The real engine and PDF/A writer, each behind a timing decorator (registered by type, as Wolverine wants).
        var trace = new OcrTrace();
        builder.Services.AddSingleton(trace);
        builder.Services.AddSingleton<TesseractOcrEngine>();
        builder.Services.RemoveAll<IOcrEngine>();
        builder.Services.AddSingleton<IOcrEngine, TimedOcrEngine>();
        builder.Services.AddSingleton<SearchablePdfAWriter>();
        builder.Services.RemoveAll<IPdfAWriter>();
        builder.Services.AddSingleton<IPdfAWriter, TimedPdfAWriter>();

        var host = builder.Build();
        try
        {
            var started = Stopwatch.StartNew();
            await host.StartAsync(ct);
            var sp = host.Services;
            var engineOptions = sp.GetRequiredService<IOptions<TesseractOcrOptions>>().Value;
            var scanning = sp.GetRequiredService<IOptions<ScanningOptions>>().Value;
            Console.WriteLine(string.Create(inv,
                $"[pipeline] host started in {started.Elapsed.TotalSeconds:0.0} s; Tesseract {TesseractOcrEngine.TesseractVersion}, Ocr:PoolSize={engineOptions.PoolSize}, Ocr:JpegQuality={engineOptions.JpegQuality}, Scanning:MaxParallelPages={scanning.MaxParallelPages}, RunOcr queue parallelism={Environment.ProcessorCount}, OMP_THREAD_LIMIT={Environment.GetEnvironmentVariable("OMP_THREAD_LIMIT") ?? "(unset)"}"));

            await Invoke<CommandResult>(sp, new CreatePlanUnit(Guid.CreateVersion7(), PlanUnitCode, "OCR-Benchmark", 10, DisposalProposal.Appraise, Registrar), ct);
            var file = await Invoke<FileOpenedResult>(sp, new OpenFile(Guid.CreateVersion7(), "Posteingang Scan-Benchmark", PlanUnitCode, Confidentiality.Open, Clerk.OrgUnit, Clerk), ct);
            async Task<Guid> NewCase(string title) =>
                (await Invoke<CommandResult>(sp, new OpenCase(file.Id, Guid.CreateVersion7(), title, null, Clerk), ct)).Id;

            // Warm-up, not counted: as many small scans as engines, so every engine is loaded and the handlers are compiled.
            var warm = Stopwatch.StartNew();
            var warmCase = await NewCase("Warm-up");
            var warmFile = new CorpusFile(System.IO.Path.Combine(corpus.Directory, "warm-up.png"), "image/png", 1, 0);
            var warmDocs = new List<Guid>();
            for (var i = 0; i < engineOptions.PoolSize; i++)
                warmDocs.Add((await SubmitAsync(sp, warmCase, warmFile, warmUpPng, ct)).DocumentId);
            var warmResult = await WaitAsync(sp, schema, warmDocs.Select(d => (warmCase, d)).ToList(), TimeSpan.FromSeconds(120), o.PollMs, ct);
            if (warmResult.Failed.Count > 0) throw new InvalidOperationException($"warm-up scan failed OCR: {string.Join("; ", warmResult.Failed)}");
            Console.WriteLine(string.Create(inv, $"[pipeline] warm-up: {engineOptions.PoolSize} small scans through the whole pipeline in {warm.Elapsed.TotalSeconds:0.0} s (not counted)"));

            // What the idle host costs (Marten's async daemon, Wolverine's durability agent, this benchmark's completion poll).
            // What the idle host costs by itself (Marten's async daemon, Wolverine's durability agent), and with this benchmark's completion poll.
            // After the warm-up the host keeps a core or half of one busy for some seconds (tiered JIT recompiling the hot paths,
            // Marten's async daemon catching up): a long-running server has that behind it, so wait until it is idle.
            var settle = Stopwatch.StartNew();
            var idleLines = new List<string>();
            for (var i = 0; i < o.SettleSeconds; i++)
            {
                var probe = new OcrCpuMeter();
                await Task.Delay(1000, ct);
                var u = probe.Stop().Bench;
                idleLines.Add(u.ToString("0.00", inv));
                if (u < 0.1) break;
            }
            var pollProbe = new OcrCpuMeter();
            await WaitAsync(sp, schema, [(warmCase, Guid.NewGuid())], TimeSpan.FromSeconds(1), o.PollMs, ct);
            var idlePoll = pollProbe.Stop();
            Console.WriteLine(string.Create(inv,
                $"[pipeline] settling after the warm-up: bench process {string.Join(", ", idleLines)} cores in successive seconds ({settle.Elapsed.TotalSeconds:0} s, not counted); " +
                $"idle with the completion poll every {o.PollMs} ms: {idlePoll.Bench:0.00} cores"));

            var measuredCase = o.CasePerScan ? Guid.Empty : await NewCase("Scan-Benchmark");
            var caseIds = new List<Guid>();
            foreach (var f in corpus.Files) caseIds.Add(o.CasePerScan ? await NewCase($"Scan {f.Name}") : measuredCase);
            trace.Clear();

            // ---- measured: first submission to last completion ----
            var cpu = new OcrCpuMeter();
            using var poolSampler = new ThreadPoolSampler();
            var t0 = Stopwatch.GetTimestamp();
            var submitted = new List<Submitted>();
            for (var i = 0; i < corpus.Files.Count; i++) submitted.Add(await SubmitAsync(sp, caseIds[i], corpus.Files[i], null, ct));
            var submittedAt = Stopwatch.GetTimestamp();
            var targets = submitted.Select((s, i) => (caseIds[i], s.DocumentId)).ToList();
            var timeout = TimeSpan.FromSeconds(Math.Max(120, corpus.PageCount * 60));
            var done = await WaitAsync(sp, schema, targets, timeout, o.PollMs, ct);
            var cpuLine = cpu.Stop();
            var poolLine = poolSampler.Stop();
            var end = done.Completed.Count > 0 ? done.Completed.Values.Max() : Stopwatch.GetTimestamp();
            var seconds = (end - t0) / (double)Stopwatch.Frequency;

            // ---- results: text per page against ground truth, renditions ----
            var store = sp.GetRequiredService<IContentStore>();
            var cer = new CerTotal();
            var pageFailures = 0;
            await using (var query = sp.GetRequiredService<IDocumentStore>().LightweightSession())
            {
                for (var i = 0; i < submitted.Count; i++)
                {
                    var s = submitted[i];
                    var (caseId, docId) = targets[i];
                    if (done.Failed.TryGetValue(docId, out var why))
                    {
                        failures.Add($"pipeline {s.File.Name}: {why}");
                        pageFailures += s.File.PageCount;
                        continue;
                    }
                    if (!done.Seen.ContainsKey(docId))
                    {
                        failures.Add($"pipeline {s.File.Name}: not completed after {timeout.TotalSeconds:0} s");
                        pageFailures += s.File.PageCount;
                        continue;
                    }
                    var version = (await query.Events.FetchLatest<Case>(caseId, ct))!.Documents[docId].Versions[0];
                    var text = await ReadTextAsync(store, version.Text!, ct);
                    CheckRendition(store, version, s.File, failures);
                    foreach (var page in s.File.Pages)
                    {
                        var recognised = text.Pages.FirstOrDefault(p => p.Number == page.Index + 1);
                        if (recognised is null)
                        {
                            failures.Add($"pipeline {page.Label}: no text for the page");
                            pageFailures++;
                            continue;
                        }
                        var pageCer = cer.Add(recognised.Text, page.GroundTruth);
                        Console.WriteLine(string.Create(inv,
                            $"[pipeline]   {page.Label,-22} CER {pageCer * 100,6:0.00} %  confidence {recognised.MeanConfidence:0.0}  deskew {recognised.DeskewAngle,5:0.00}°  words {recognised.Words.Count}"));
                    }
                }
            }

            PrintTimeline(trace, submitted, done.Completed, done.Seen, t0, submittedAt, end, engineOptions.PoolSize, o.Verbose);
            var result = new OcrPhaseResult("pipeline", corpus.PageCount - pageFailures, seconds, cer.Value, pageFailures, null);
            Console.WriteLine(string.Create(inv,
                $"[pipeline] pages={result.Pages} seconds={seconds:0.00} pipeline_ppm={result.Ppm:0.0} cer={cer.Value * 100:0.00} % (submitting took {(submittedAt - t0) / (double)Stopwatch.Frequency:0.00} s, poll interval {o.PollMs} ms)"));
            Console.WriteLine($"[pipeline] {cpuLine.Describe(result.Pages)}");
            Console.WriteLine($"[pipeline] {poolLine}");
            foreach (var (what, n) in log.Counts.OrderByDescending(kv => kv.Value)) Console.WriteLine($"[pipeline] logged {n} x {what}");
            return result;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
            await Sql.DropSchemaAsync(o.ConnectionString, schema);
            Names.DeleteDirectory(contentRoot);
        }
    }

    private static async Task<T> Invoke<T>(IServiceProvider sp, object command, CancellationToken ct)
    {
        await using var scope = sp.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<T>(command, ct);
    }

    /// <summary>Intake as the scan endpoint does it: stage the bytes, count the pages of the staged file, promote, RecordScan.</summary>
    private static async Task<Submitted> SubmitAsync(IServiceProvider sp, Guid caseId, CorpusFile file, byte[]? bytes, CancellationToken ct)
    {
        var store = sp.GetRequiredService<IContentStore>();
        var ocr = sp.GetRequiredService<IOcrEngine>();
        var lap = Stopwatch.GetTimestamp();
        double Lap()
        {
            var now = Stopwatch.GetTimestamp();
            var d = (now - lap) / (double)Stopwatch.Frequency;
            lap = now;
            return d;
        }
        StagedContent staged;
        await using (System.IO.Stream source = bytes is null ? System.IO.File.OpenRead(file.Path) : new System.IO.MemoryStream(bytes))
            staged = await store.StageAsync(source, long.MaxValue, ct);
        var stage = Lap();
        var pages = ocr.CountPages(staged.StagingPath);
        var count = Lap();
        await store.PromoteAsync(staged, ct);
        var promote = Lap();
        var documentId = Guid.CreateVersion7();
        var protocol = new ScanProtocol("Erika Scan", "Fujitsu fi-7160", "Graustufen", file.Dpi is >= 75 and <= 1200 ? file.Dpi : 300,
            ColourMode.Grayscale, DateTimeOffset.UtcNow, pages, ProtectionNeed.Normal, OriginalMayBeDestroyed: true, DestroyOriginalAfter: null);
        var recorded = await Invoke<ScanRecorded>(sp, new RecordScan(caseId, documentId, file.Name,
            new ContentRef(staged.Sha256, staged.Size, file.MediaType, file.Name), protocol,
            new QualityCheck("Quentin Prüfer", Accepted: true, null), "deu", null, Clerk), ct);
        if (!recorded.OcrQueued) throw new InvalidOperationException($"{file.Name}: RecordScan did not queue OCR.");
        return new Submitted(file, documentId, Stopwatch.GetTimestamp(), [stage, count, promote, Lap()]);
    }

    /// <summary>Completed: when the version's RenditionCreated was appended (PostgreSQL's timestamp, as a Stopwatch timestamp); Seen: when the poll saw it.</summary>
    private sealed record WaitResult(Dictionary<Guid, long> Completed, Dictionary<Guid, long> Seen, Dictionary<Guid, string> Failed);

    /// <summary>
    /// Polls the case read model (<see cref="CaseDetails"/>, updated inline with every append) until every document's
    /// version 1 shows OCR completed with its PDF/A rendition, or failed. Once a second it also looks into Wolverine's
    /// dead-letter table: a RunOcr job that ran out of retries leaves its version pending for ever.
    /// </summary>
    private static async Task<WaitResult> WaitAsync(IServiceProvider sp, string schema, IReadOnlyList<(Guid Case, Guid Document)> docs, TimeSpan timeout, int pollMs, CancellationToken ct)
    {
        var store = sp.GetRequiredService<IDocumentStore>();
        var db = sp.GetRequiredService<NpgsqlDataSource>();
        var (anchorTicks, anchorUtc) = (Stopwatch.GetTimestamp(), DateTimeOffset.UtcNow);
        var completed = new Dictionary<Guid, long>();
        var failed = new Dictionary<Guid, string>();
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var nextDeadLetterCheck = 0L;
        while (completed.Count + failed.Count < docs.Count && Stopwatch.GetTimestamp() < deadline)
        {
            await using (var query = store.QuerySession())
            {
                foreach (var caseId in docs.Select(d => d.Case).Distinct())
                {
                    var details = await query.LoadAsync<CaseDetails>(caseId, ct);
                    var now = Stopwatch.GetTimestamp();
                    foreach (var (_, docId) in docs.Where(d => d.Case == caseId))
                    {
                        if (completed.ContainsKey(docId) || failed.ContainsKey(docId)) continue;
                        var v = details?.Documents.FirstOrDefault(d => d.Id == docId)?.Versions[0];
                        if (v is null) continue;
                        if (v.Ocr.State == OcrState.Failed) failed[docId] = $"OCR failed: {v.Ocr.FailureCode} {v.Ocr.FailureReason}";
                        else if (v.Ocr.State == OcrState.Completed && v.Renditions.Any(r => r.Format == RunOcrHandler.RenditionFormat)) completed[docId] = now;
                    }
                }
            }
            if (Stopwatch.GetTimestamp() > nextDeadLetterCheck)
            {
                nextDeadLetterCheck = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
                await using var cmd = db.CreateCommand($"select exception_type, exception_message, body from {schema}.wolverine_dead_letters");
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    var body = System.Text.Encoding.UTF8.GetString((byte[])reader["body"]);
                    foreach (var (_, docId) in docs)
                        if (!completed.ContainsKey(docId) && !failed.ContainsKey(docId) && body.Contains(docId.ToString(), StringComparison.OrdinalIgnoreCase))
                            failed[docId] = $"the RunOcr job was moved to the dead-letter queue: {reader.GetString(0)}: {reader.GetString(1).ReplaceLineEndings(" ")}";
                }
            }
            if (completed.Count + failed.Count < docs.Count) await Task.Delay(pollMs, ct);
        }

        // The poll only notices; the completion time is the append of the rendition, so the poll interval does not bias it.
        var committed = new Dictionary<Guid, long>();
        await using (var session = store.LightweightSession())
        {
            foreach (var caseId in docs.Where(d => completed.ContainsKey(d.Document)).Select(d => d.Case).Distinct())
                foreach (var e in await session.Events.FetchStreamAsync(caseId, token: ct))
                    if (e.Data is RenditionCreated r && completed.ContainsKey(r.DocumentId))
                        committed[r.DocumentId] = anchorTicks + (long)((e.Timestamp - anchorUtc).TotalSeconds * Stopwatch.Frequency);
        }
        return new WaitResult(committed, completed, failed);
    }

    private static async Task<DocumentText> ReadTextAsync(IContentStore store, ContentRef text, CancellationToken ct)
    {
        await using var s = store.OpenRead(text.Sha256);
        return await JsonSerializer.DeserializeAsync<DocumentText>(s, JsonSerializerOptions.Web, ct)
            ?? throw new InvalidOperationException($"text blob {text.Sha256} is empty");
    }

    private static void CheckRendition(IContentStore store, DocumentVersion version, CorpusFile file, List<string> failures)
    {
        var pdf = version.Renditions[RunOcrHandler.RenditionFormat];
        using var s = store.OpenRead(pdf.Sha256);
        var head = new byte[5];
        s.ReadExactly(head);
        if (System.Text.Encoding.ASCII.GetString(head) != "%PDF-") failures.Add($"pipeline {file.Name}: the rendition is not a PDF");
    }

    /// <summary>Where the wall time went: per document, submission → job start → pages (engine wait, work) → PDF → completion seen.</summary>
    private static void PrintTimeline(OcrTrace trace, List<Submitted> submitted, Dictionary<Guid, long> completed, Dictionary<Guid, long> seen, long t0, long submittedAt, long end,
        int poolSize, bool verbose)
    {
        var inv = CultureInfo.InvariantCulture;
        double S(long ticks) => (ticks - t0) / (double)Stopwatch.Frequency;
        double D(long a, long b) => (b - a) / (double)Stopwatch.Frequency;
        var spans = trace.Spans;
        var recognise = spans.Where(s => s.Kind == "recognise").ToList();
        var pdfs = spans.Where(s => s.Kind == "pdf").ToList();
        var counts = spans.Where(s => s.Kind == "count").ToList();

        foreach (var sub in submitted)
        {
            var attempts = pdfs.Where(p => p.Title == sub.File.Name).ToList();
            var jobs = attempts.Select(a => a.Job).ToHashSet();
            var pages = recognise.Where(r => jobs.Contains(r.Job)).ToList();
            var jobStart = counts.Where(c => jobs.Contains(c.Job)).Select(c => c.Start).DefaultIfEmpty(0).Min();
            var done = completed.TryGetValue(sub.DocumentId, out var c) ? $"+{S(c):0.00}" : "never";
            var noticed = seen.TryGetValue(sub.DocumentId, out var n) ? $"+{S(n):0.00}" : "never";
            var lastPdf = attempts.Count == 0 ? 0 : attempts.Max(a => a.End);
            Console.WriteLine(string.Create(inv,
                $"[pipeline]   {sub.File.Name,-16} {sub.File.PageCount} p: submitted +{S(sub.At):0.00} (stage {sub.Steps[0]:0.00}, count {sub.Steps[1]:0.00}, promote {sub.Steps[2]:0.00}, RecordScan {sub.Steps[3]:0.00} s)  job start +{(jobStart == 0 ? double.NaN : S(jobStart)):0.00}  " +
                $"pages +{(pages.Count == 0 ? double.NaN : S(pages.Min(p => p.Queued))):0.00}..+{(pages.Count == 0 ? double.NaN : S(pages.Max(p => p.End))):0.00} " +
                $"(engine wait {pages.Sum(p => D(p.Queued, p.Start)):0.00} s, work {string.Join('+', pages.Select(p => D(p.Start, p.End).ToString("0.00", inv)))} s)  " +
                $"pdf {attempts.Sum(a => D(a.Start, a.End)):0.00} s  completed {done} ({(lastPdf == 0 || c == 0 ? double.NaN : D(lastPdf, c)):0.00} s after pdf, poll saw it {noticed}){(attempts.Count > 1 ? $"  ATTEMPTS {attempts.Count}" : "")}"));
        }

        var wall = D(t0, end);
        var work = recognise.Sum(r => D(r.Start, r.End));
        var pdf = pdfs.Sum(p => D(p.Start, p.End));
        var perPage = recognise.Select(r => D(r.Start, r.End)).Order().ToList();
        var pageCount = submitted.Sum(s => s.File.PageCount);
        Console.WriteLine(string.Create(inv,
            $"[pipeline] engines: {recognise.Count} page recognitions for {pageCount} pages (retries: {recognise.Count - pageCount}), work {work:0.00} s " +
            $"(median {(perPage.Count == 0 ? double.NaN : perPage[perPage.Count / 2]):0.00} s/page, deskew+recognise+JPEG), " +
            $"utilisation {work / (wall * poolSize) * 100:0} % of {poolSize} engines over {wall:0.00} s; pdf {pdf:0.00} s in {pdfs.Count} renditions; " +
            $"first page started +{(recognise.Count == 0 ? double.NaN : S(recognise.Min(r => r.Start))):0.00} s, last page done +{(recognise.Count == 0 ? double.NaN : S(recognise.Max(r => r.End))):0.00} s"));
        if (!verbose) return;
        foreach (var s in spans.OrderBy(s => s.Queued))
            Console.WriteLine(string.Create(inv,
                $"[pipeline]     {s.Kind,-9} {System.IO.Path.GetFileName(s.Job),-45} {(s.Kind == "recognise" ? $"page {s.Page}" : s.Kind == "pdf" ? $"{s.Page} p {s.Title}" : $"{s.Page} p")} queued +{S(s.Queued):0.000} start +{S(s.Start):0.000} end +{S(s.End):0.000}"));
        _ = submittedAt;
    }
}

/// <summary>
/// Samples the .NET thread pool every 20 ms: the engine runs each page with Task.Run, so on 2 cores the recognising pages
/// hold the pool's minimum threads and everything else (intake, Wolverine, Npgsql, the poll) waits for thread injection.
/// </summary>
public sealed class ThreadPoolSampler : IDisposable
{
    private readonly Timer _timer;
    private readonly object _gate = new();
    private int _samples, _maxPending, _maxThreads, _starved;
    private long _sumPending;

    public ThreadPoolSampler() => _timer = new Timer(_ => Sample(), null, 0, 20);

    private void Sample()
    {
        var pending = (int)ThreadPool.PendingWorkItemCount;
        lock (_gate)
        {
            _samples++;
            _sumPending += pending;
            _maxPending = Math.Max(_maxPending, pending);
            _maxThreads = Math.Max(_maxThreads, ThreadPool.ThreadCount);
            if (pending > 0) _starved++;
        }
    }

    public string Stop()
    {
        _timer.Change(Timeout.Infinite, Timeout.Infinite);
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        lock (_gate)
            return string.Create(CultureInfo.InvariantCulture,
                $"thread pool: min {minWorkers} threads, up to {_maxThreads}; work items queued in {(_samples == 0 ? 0 : 100.0 * _starved / _samples):0} % of {_samples} samples (mean {(_samples == 0 ? 0 : (double)_sumPending / _samples):0.0}, max {_maxPending})");
    }

    public void Dispose() => _timer.Dispose();
}

/// <summary>What one phase of the OCR benchmark measured.</summary>
public sealed record OcrPhaseResult(string Phase, int Pages, double Seconds, double Cer, int Failures, string? NotAvailable)
{
    public double Ppm => Seconds > 0 ? Pages / Seconds * 60 : double.NaN;
}
