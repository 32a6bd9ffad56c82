using ECase.Application.Disposal;
using Marten;

namespace ECase.Api.Cli;

/// <summary>
/// <c>ECase.Api export list|watch JOB-ID|cancel JOB-ID</c> (<c>./ecase.sh export …</c>): export jobs as the database records
/// them, with a progress bar while a job runs. Works beside a running server; jobs are started with
/// POST /api/disposal/processes/{id}/transfer.
/// </summary>
public static class ExportCli
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        var store = services.GetRequiredService<IDocumentStore>();
        switch (args)
        {
            case ["export", "list", ..]:
                await using (var session = store.QuerySession())
                {
                    var jobs = await session.Query<ExportJob>().OrderByDescending(j => j.RequestedAt).Take(50).ToListAsync(ct);
                    foreach (var j in jobs)
                        Console.WriteLine($"{j.Id}  {j.Status,-9}  {j.Phase,-10}  {j.ObjectsDone}/{j.ObjectsTotal} objects  process {j.ProcessId}  {j.RequestedAt:yyyy-MM-dd HH:mm}");
                    if (jobs.Count == 0) Console.WriteLine("no export jobs");
                }

                return 0;

            case ["export", "watch", var id] when Guid.TryParse(id, out var jobId):
                return await WatchAsync(store, jobId, ct);

            case ["export", "cancel", var id] when Guid.TryParse(id, out var jobId):
                await using (var session = store.LightweightSession())
                {
                    var job = await session.LoadAsync<ExportJob>(jobId, ct);
                    if (job is null) return NotFound(jobId);
                    if (job.Finished)
                    {
                        Console.WriteLine($"job {jobId} is {job.Status.ToString().ToLowerInvariant()} already");
                        return 1;
                    }

                    job.CancelRequested = true;
                    session.Store(job);
                    await session.SaveChangesAsync(ct);
                }

                Console.WriteLine($"cancel requested; the job stops within a second (watch it with: export watch {jobId})");
                return 0;

            default:
                await Console.Error.WriteLineAsync("usage: ECase.Api export list | watch JOB-ID | cancel JOB-ID");
                return 2;
        }
    }

    private static async Task<int> WatchAsync(IDocumentStore store, Guid jobId, CancellationToken ct)
    {
        while (true)
        {
            ExportJob? job;
            await using (var session = store.QuerySession())
                job = await session.LoadAsync<ExportJob>(jobId, ct);
            if (job is null) return NotFound(jobId);
            Console.Write("\r" + Line(job));
            if (job.Finished)
            {
                Console.WriteLine();
                if (job.Status == ExportJobStatus.Completed)
                    Console.WriteLine($"completed: {job.FileName} ({job.Size:N0} bytes, SHA-256 {job.Sha256}); download: GET /api/export-jobs/{job.Id}/download");
                else
                    Console.WriteLine($"{job.Status.ToString().ToLowerInvariant()}{(job.Error is null ? "" : ": " + job.Error)}");
                foreach (var warning in job.Warnings) Console.WriteLine("warning: " + warning);
                return job.Status == ExportJobStatus.Completed ? 0 : 1;
            }

            await Task.Delay(500, ct);
        }
    }

    /// <summary>e.g. <c>package    [##########..........]  52 %  520/1000 objects  51.2/98.4 MB</c></summary>
    public static string Line(ExportJob job)
    {
        const int width = 30;
        var fraction = job.BytesTotal > 0 ? (double)job.BytesDone / job.BytesTotal
            : job.ObjectsTotal > 0 ? (double)job.ObjectsDone / job.ObjectsTotal : 0;
        fraction = Math.Clamp(fraction, 0, 1);
        var filled = (int)Math.Round(fraction * width);
        return $"{job.Phase,-10} [{new string('#', filled)}{new string('.', width - filled)}] {fraction * 100,3:F0} %  {job.ObjectsDone}/{job.ObjectsTotal} objects  "
            + $"{job.BytesDone / 1e6:F1}/{job.BytesTotal / 1e6:F1} MB   ";
    }

    private static int NotFound(Guid jobId)
    {
        Console.Error.WriteLine($"no export job {jobId}");
        return 1;
    }
}
