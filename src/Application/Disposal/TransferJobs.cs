using System.Collections.Concurrent;
using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Scanning;
using ECase.Application.Security;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.Disposal;
using ECase.Domain.Scanning;
using JasperFx;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ECase.Application.Disposal;

public enum ExportJobStatus { Queued, Running, Completed, Failed, Cancelled }

/// <summary>
/// An export job as archivists watch it: status, phase, progress (objects and bytes) and, when completed, the container
/// to download. A Marten document, updated by the job while it runs (ADR 0017).
/// </summary>
public sealed class ExportJob
{
    public Guid Id { get; set; }
    public Guid ProcessId { get; set; }
    public string Kind { get; set; } = "Aussonderung.Aussonderung.0503";
    public string XdomeaVersion { get; set; } = "3.1.0";
    public ExportJobStatus Status { get; set; }

    /// <summary><c>renditions</c> (PDF/A made where missing), then <c>package</c> (the ZIP is written).</summary>
    public string Phase { get; set; } = "queued";
    public int ObjectsDone { get; set; }
    public int ObjectsTotal { get; set; }
    public long BytesDone { get; set; }
    public long BytesTotal { get; set; }
    public int Attempts { get; set; }
    public string RequestedBy { get; set; } = "";
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public bool CancelRequested { get; set; }
    public string? Error { get; set; }
    public string? FileName { get; set; }
    public string? Sha256 { get; set; }
    public long? Size { get; set; }
    public List<string> Warnings { get; set; } = [];

    public bool Finished => Status is ExportJobStatus.Completed or ExportJobStatus.Failed or ExportJobStatus.Cancelled;
}

/// <summary>Durable job: build the 0503 container of a disposal process.</summary>
public sealed record BuildTransferPackage(Guid JobId);

public sealed record StartTransferRequest(string? Version);

public sealed record StartTransfer(Guid JobId, Guid ProcessId, string? Version, CurrentUser User);

/// <summary>Cancellation of running jobs in this process; the job also polls <see cref="ExportJob.CancelRequested"/>.</summary>
public sealed class ExportJobCancellations
{
    private readonly ConcurrentDictionary<Guid, CancellationTokenSource> _running = new();

    public CancellationTokenSource Register(Guid jobId, CancellationToken ct) => _running[jobId] = CancellationTokenSource.CreateLinkedTokenSource(ct);

    public void Unregister(Guid jobId)
    {
        if (_running.TryRemove(jobId, out var cts)) cts.Dispose();
    }

    public void Cancel(Guid jobId)
    {
        if (_running.TryGetValue(jobId, out var cts)) cts.Cancel();
    }
}

public static class TransferEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/disposal/processes/{processId:guid}/transfer", async (Guid processId, StartTransferRequest? body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
            {
                var job = await bus.InvokeAsync<ExportJob>(new StartTransfer(Guid.CreateVersion7(), processId, body?.Version, CurrentUser.From(principal)), ct);
                return TypedResults.Accepted($"/api/export-jobs/{job.Id}", job);
            })
            .RequireAuthorization(Policies.Disposal).WithName("StartTransfer").WithTags("Disposal");
        api.MapGet("/export-jobs/{jobId:guid}", async (Guid jobId, ClaimsPrincipal principal, IQuerySession session, CancellationToken ct) =>
                TypedResults.Ok(await LoadAsync(session, jobId, CurrentUser.From(principal), ct)))
            .RequireAuthorization(Policies.Disposal).WithName("GetExportJob").WithTags("Disposal");
        api.MapGet("/export-jobs", async (Guid? processId, ClaimsPrincipal principal, IQuerySession session, CancellationToken ct) =>
            {
                var user = CurrentUser.From(principal);
                var jobs = await session.Query<ExportJob>().Where(j => processId == null || j.ProcessId == processId).OrderByDescending(j => j.RequestedAt).Take(200).ToListAsync(ct);
                var visible = new List<ExportJob>();
                foreach (var job in jobs)
                {
                    if (await session.LoadAsync<DisposalProcess>(job.ProcessId, ct) is { } p && DisposalAccess.CanSee(user, p)) visible.Add(job);
                }

                return TypedResults.Ok(visible);
            })
            .RequireAuthorization(Policies.Disposal).WithName("ListExportJobs").WithTags("Disposal");
        api.MapPost("/export-jobs/{jobId:guid}/cancel", async (Guid jobId, ClaimsPrincipal principal, IDocumentSession session, ExportJobCancellations running, CancellationToken ct) =>
            {
                var job = await LoadAsync(session, jobId, CurrentUser.From(principal), ct);
                if (job.Finished) throw new RejectedException(new Rejection("export-job-finished", $"The job is {job.Status.ToString().ToLowerInvariant()} already."));
                job.CancelRequested = true;
                if (job.Status == ExportJobStatus.Queued)
                {
                    job.Status = ExportJobStatus.Cancelled;
                    job.FinishedAt = DateTimeOffset.UtcNow;
                }

                session.Store(job);
                await session.SaveChangesAsync(ct);
                running.Cancel(jobId);
                return TypedResults.Accepted($"/api/export-jobs/{jobId}", job);
            })
            .RequireAuthorization(Policies.Disposal).WithName("CancelExportJob").WithTags("Disposal");
        api.MapGet("/export-jobs/{jobId:guid}/download", async (
                Guid jobId, ClaimsPrincipal principal, IDocumentSession session, IOptions<DisposalOptions> options, IOptions<ContentStoreOptions> content,
                TimeProvider clock, CancellationToken ct) =>
            {
                var user = CurrentUser.From(principal);
                var job = await LoadAsync(session, jobId, user, ct);
                if (job.Status != ExportJobStatus.Completed || job.FileName is null)
                    throw new RejectedException(new Rejection("export-job-not-completed", $"The job is {job.Status.ToString().ToLowerInvariant()}; only a completed job can be downloaded."));
                var path = System.IO.Path.Combine(TransferPaths.Folder(options.Value, content.Value), job.Id.ToString("N"), job.FileName);
                if (!System.IO.File.Exists(path))
                    throw new RejectedException(new Rejection("export-package-gone", "The container was deleted after the disposal completed.", RejectionKind.NotFound));
                await Audit.AccessLog.RecordAsync(session, clock, user, Audit.AccessLog.DownloadTransfer, job.ProcessId, ct);
                return TypedResults.PhysicalFile(path, "application/zip", job.FileName, enableRangeProcessing: true);
            })
            .RequireAuthorization(Policies.Disposal).WithName("DownloadExportJob").WithTags("Disposal");
    }

    private static async Task<ExportJob> LoadAsync(IQuerySession session, Guid jobId, CurrentUser user, CancellationToken ct)
    {
        var job = await session.LoadAsync<ExportJob>(jobId, ct) ?? throw new NotFoundException("export job");
        await DisposalAccess.LoadAsync(session, job.ProcessId, user, ct);
        return job;
    }
}

public static class TransferPaths
{
    public static string Folder(DisposalOptions options, ContentStoreOptions content) =>
        options.ExportPath ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(content.Root.TrimEnd('/'))) ?? ".", "exports");
}

public static class StartTransferHandler
{
    public static async Task<(ExportJob, BuildTransferPackage)> Handle(
        StartTransfer cmd, IDocumentSession session, IArchiveMessages messages, TimeProvider clock, CancellationToken ct)
    {
        var process = await DisposalAccess.LoadAsync(session, cmd.ProcessId, cmd.User, ct);
        if (process.Stage is not (DisposalStage.Appraised or DisposalStage.Transferred)) throw new RejectedException(DisposalRejections.WrongStage);
        if (!process.ToTransfer().Any()) throw new RejectedException(DisposalRejections.NothingToTransfer);
        var version = cmd.Version ?? process.XdomeaVersion;
        if (!messages.Versions.Contains(version))
            throw new RequestInvalidException("xdomea-version-unsupported", $"xdomea {version} cannot be written; use one of {string.Join(", ", messages.Versions)}.");
        if (await session.Query<ExportJob>().AnyAsync(j => j.ProcessId == cmd.ProcessId && (j.Status == ExportJobStatus.Queued || j.Status == ExportJobStatus.Running), ct))
            throw new RejectedException(new Rejection("export-job-running", "A transfer of this process is being built already."));
        var job = new ExportJob
        {
            Id = cmd.JobId, ProcessId = cmd.ProcessId, XdomeaVersion = version, Status = ExportJobStatus.Queued, RequestedBy = cmd.User.Id,
            RequestedAt = clock.GetUtcNow(),
        };
        session.Store(job);
        return (job, new BuildTransferPackage(job.Id));
    }
}

public static class BuildTransferPackageHandler
{
    public static readonly Actor ExportActor = new("system:export", "system", "");

    public static void Configure(HandlerChain chain)
    {
        // A transfer of many thousand documents takes minutes; the job honours cancellation itself.
        chain.ExecutionTimeoutInSeconds = (int)TimeSpan.FromHours(12).TotalSeconds;
        chain.OnException<ConcurrencyException>().RetryTimes(3);
    }

    public static async Task Handle(
        BuildTransferPackage message, IDocumentStore documents, IContentStore store, ITransferPackages packages, IArchivalRenditions renditions,
        ExportJobCancellations running, IOptions<DisposalOptions> options, IOptions<ContentStoreOptions> content, TimeProvider clock,
        ILogger<BuildTransferPackage> logger, CancellationToken ct)
    {
        ExportJob? job;
        await using (var query = documents.QuerySession())
            job = await query.LoadAsync<ExportJob>(message.JobId, ct);
        if (job is null || job.Finished) return;

        var folder = System.IO.Path.Combine(TransferPaths.Folder(options.Value, content.Value), job.Id.ToString("N"));
        using var cts = running.Register(job.Id, ct);
        JobProgress? progress = null;
        try
        {
            if (job.CancelRequested) throw new OperationCanceledException(cts.Token);
            // A restart after a crash begins again: whatever a previous attempt left is not a valid container.
            if (System.IO.Directory.Exists(folder)) System.IO.Directory.Delete(folder, recursive: true);
            System.IO.Directory.CreateDirectory(folder);
            job.Status = ExportJobStatus.Running;
            job.Attempts++;
            job.StartedAt = clock.GetUtcNow();
            job.Phase = "renditions";
            job.Error = null;
            job.Warnings = [];
            await SaveAsync(documents, job, ct);

            DisposalProcess process;
            await using (var query = documents.QuerySession())
                process = await query.LoadAsync<DisposalProcess>(job.ProcessId, ct) ?? throw new InvalidOperationException("The process is gone.");
            var transfer = process.ToTransfer().ToList();
            progress = new JobProgress(documents, job, cts, clock);

            job.Warnings.AddRange(await EnsureRenditionsAsync(documents, store, renditions, transfer.SelectMany(t => t.Cases).ToList(), progress, clock, cts.Token));

            job.Phase = "package";
            var zipName = $"{process.Id}_{DisposalAccess.MessageTypes["0503"]}.zip";
            var partial = System.IO.Path.Combine(folder, zipName + ".partial");
            var request = new TransferRequest(
                process.Id, job.XdomeaVersion, options.Value.Authority, options.Value.AuthorityUnit, process.Archive.Name,
                [.. transfer.Select(t => (t.File.FileId, (IReadOnlySet<Guid>)t.File.CaseIds.Except(t.Cases).ToHashSet()))]);
            var result = await packages.BuildAsync(request, partial, progress, cts.Token);
            await progress.FlushAsync();
            // Only a complete container gets its final name; a crash before this line leaves only the .partial, never offered.
            System.IO.File.Move(partial, System.IO.Path.Combine(folder, zipName), overwrite: true);

            await using var session = documents.LightweightSession();
            var stream = await session.Events.FetchForWriting<DisposalProcess>(process.Id, ct);
            var ctx = new CommandContext(ExportActor with { UserId = job.RequestedBy is { Length: > 0 } by ? by : ExportActor.UserId }, clock.GetUtcNow());
            stream.AppendMany(DisposalDecider.Decide(stream.Aggregate, new DisposalCommand.RecordTransfer(
                job.Id, job.XdomeaVersion, result.ZipSha256, result.ZipBytes, result.Documents, result.ObjectIds, [.. job.Warnings.Concat(result.Warnings)]), ctx).EventsOrThrow());
            job.Status = ExportJobStatus.Completed;
            job.FinishedAt = clock.GetUtcNow();
            job.FileName = zipName;
            job.Sha256 = result.ZipSha256;
            job.Size = result.ZipBytes;
            job.Warnings.AddRange(result.Warnings);
            session.Store(job);
            await session.SaveChangesAsync(ct);
            logger.LogInformation("Transfer {Job} of process {Process}: {Documents} documents, {Bytes} bytes", job.Id, process.Id, result.Documents, result.ZipBytes);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            if (progress is not null) await progress.FlushAsync();
            DeleteQuietly(folder);
            job.Status = ExportJobStatus.Cancelled;
            job.FinishedAt = clock.GetUtcNow();
            await SaveAsync(documents, job, CancellationToken.None);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is not ConcurrencyException)
        {
            // A failed build is reported, not retried in a loop: the archivist starts a new job after the cause is fixed.
            logger.LogError(e, "Transfer job {Job} failed", job.Id);
            if (progress is not null) await progress.FlushAsync();
            DeleteQuietly(folder);
            job.Status = ExportJobStatus.Failed;
            job.Error = e is RejectedException r ? r.Rejection.Message : e.Message;
            job.FinishedAt = clock.GetUtcNow();
            await SaveAsync(documents, job, CancellationToken.None);
        }
        finally
        {
            running.Unregister(job.Id);
        }
    }

    /// <summary>Every version to be transferred gets a PDF/A rendition if it has none and the original is not PDF/A already.</summary>
    private static async Task<List<string>> EnsureRenditionsAsync(
        IDocumentStore documents, IContentStore store, IArchivalRenditions renditions, IReadOnlyList<Guid> caseIds, JobProgress progress,
        TimeProvider clock, CancellationToken ct)
    {
        var warnings = new List<string>();
        var temp = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-export-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(temp);
        try
        {
            await using (var query = documents.QuerySession())
            {
                var total = 0;
                foreach (var caseId in caseIds)
                    total += (await query.Events.AggregateStreamAsync<Case>(caseId, token: ct))?.Documents.Values.Sum(d => d.Versions.Count) ?? 0;
                await progress.ReportAsync(new TransferProgressInfo(0, total, 0, 0));
            }

            var done = 0;
            foreach (var caseId in caseIds)
            {
                await using var session = documents.LightweightSession();
                var stream = await session.Events.FetchForWriting<Case>(caseId, ct);
                if (stream.Aggregate is not { } @case) continue;
                foreach (var document in @case.Documents.Values)
                {
                    foreach (var version in document.Versions)
                    {
                        ct.ThrowIfCancellationRequested();
                        done++;
                        if (version.Renditions.ContainsKey(RunOcrHandler.RenditionFormat)) continue;
                        var input = System.IO.Path.Combine(temp, "in");
                        var output = System.IO.Path.Combine(temp, "out.pdf");
                        await using (var source = store.OpenRead(version.Content.Sha256))
                        await using (var target = System.IO.File.Create(input))
                            await source.CopyToAsync(target, ct);
                        var made = await renditions.MakeAsync(input, version.Content.MediaType, document.Title, output, ct);
                        switch (made.Outcome)
                        {
                            case ArchivalOutcome.Made:
                                StagedContent staged;
                                await using (var pdf = System.IO.File.OpenRead(output))
                                    staged = await store.PutAsync(pdf, ct);
                                var name = System.IO.Path.GetFileNameWithoutExtension(version.Content.FileName) + ".pdfa.pdf";
                                var ctx = new CommandContext(BuildTransferPackageHandler.ExportActor with { OrgUnit = @case.OrgUnit }, clock.GetUtcNow());
                                stream.AppendMany(ScanDecider.Decide(stream.Aggregate, new ScanCommand.AddRendition(
                                    document.Id, version.Number, RunOcrHandler.RenditionFormat, new ContentRef(staged.Sha256, staged.Size, "application/pdf", name)), ctx).EventsOrThrow());
                                break;
                            case ArchivalOutcome.Unsupported or ArchivalOutcome.Failed:
                                warnings.Add($"{document.Title} (v{version.Number}, {version.Content.MediaType}): no PDF/A rendition ({made.Reason}); the original is transferred as it is.");
                                break;
                        }

                        System.IO.File.Delete(output);
                        await progress.ReportAsync(new TransferProgressInfo(done, progress.Job.ObjectsTotal, 0, 0));
                    }
                }

                await session.SaveChangesAsync(ct);
            }
        }
        finally
        {
            System.IO.Directory.Delete(temp, recursive: true);
        }

        return warnings;
    }

    private static async Task SaveAsync(IDocumentStore documents, ExportJob job, CancellationToken ct)
    {
        await using var session = documents.LightweightSession();
        session.Store(job);
        await session.SaveChangesAsync(ct);
    }

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (System.IO.Directory.Exists(folder)) System.IO.Directory.Delete(folder, recursive: true);
        }
        catch (System.IO.IOException)
        {
        }
    }

    /// <summary>Writes progress to the job document at most twice a second and picks up a cancel request made on another node.</summary>
    private sealed class JobProgress(IDocumentStore documents, ExportJob job, CancellationTokenSource cts, TimeProvider clock) : IProgress<TransferProgressInfo>
    {
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
        private DateTimeOffset _saved = DateTimeOffset.MinValue;
        private Task _pending = Task.CompletedTask;

        public ExportJob Job => job;

        public void Report(TransferProgressInfo value)
        {
            Apply(value);
            if (clock.GetUtcNow() - _saved < Interval || !_pending.IsCompleted) return;
            _saved = clock.GetUtcNow();
            _pending = SaveAndCheckAsync();
        }

        public Task ReportAsync(TransferProgressInfo value)
        {
            Report(value);
            return Task.CompletedTask;
        }

        public async Task FlushAsync()
        {
            await _pending;
        }

        private void Apply(TransferProgressInfo value)
        {
            lock (job)
            {
                job.ObjectsDone = value.ObjectsDone;
                job.ObjectsTotal = value.ObjectsTotal;
                job.BytesDone = value.BytesDone;
                job.BytesTotal = value.BytesTotal;
            }
        }

        private async Task SaveAndCheckAsync()
        {
            try
            {
                await using var session = documents.LightweightSession();
                var stored = await session.LoadAsync<ExportJob>(job.Id);
                if (stored?.CancelRequested == true) await cts.CancelAsync();
                lock (job) session.Store(job);
                await session.SaveChangesAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Progress is best effort; the job's outcome is saved separately.
            }
        }
    }
}
