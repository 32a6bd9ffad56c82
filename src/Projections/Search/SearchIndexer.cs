using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ECase.Projections.Search;

/// <summary>
/// Feeds the live index from the event log: reads events after the index's committed position in batches, applies
/// them, commits the batch with its last position, and polls when there is nothing new. Failures roll the batch back
/// and retry with a growing pause; the index never skips an event because of an error of its own.
/// </summary>
public sealed class SearchIndexer(SearchIndexHost host, Microsoft.Extensions.Options.IOptions<SearchOptions> options, ILogger<SearchIndexer> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var gaps = new GapTracker();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var read = await host.IndexNextBatchAsync(gaps, stoppingToken);
                failures = 0;
                if (read < options.Value.BatchSize) await Task.Delay(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                var pause = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 7))));
                log.LogError(e, "Search index: batch failed ({Failures} in a row); retrying from the last commit in {Pause}", failures, pause);
                try
                {
                    await Task.Delay(pause, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
