using ECase.Projections.Search;
using Lucene.Net.Store;

namespace ECase.Api.Cli;

/// <summary>
/// <c>ECase.Api search rebuild</c> (<c>./ecase.sh search-rebuild</c>): rebuilds the search index from the events while
/// the server is stopped, with progress on the console. With the server running, use POST /api/admin/search/rebuild.
/// </summary>
public static class SearchCli
{
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        if (args is not ["search", "rebuild", ..])
        {
            await Console.Error.WriteLineAsync("usage: ECase.Api search rebuild");
            return 2;
        }

        var host = services.GetRequiredService<SearchIndexHost>();
        try
        {
            // Taking the live index's write lock proves no server feeds it meanwhile.
            _ = host.Current;
        }
        catch (Exception e) when (e is SearchIndexInUseException or LockObtainFailedException)
        {
            await Console.Error.WriteLineAsync($"The search index at {host.Root} is in use by a running ECase server; rebuild it there with POST /api/admin/search/rebuild.");
            return 1;
        }

        var rebuild = host.RebuildAsync(ct);
        while (!rebuild.IsCompleted)
        {
            await Task.WhenAny(rebuild, Task.Delay(1000, ct));
            if (host.Rebuild is { } p)
            {
                var percent = p.Events == 0 ? 100 : 100.0 * p.EventsDone / p.Events;
                Console.Write($"\rrebuilding search index: {p.EventsDone}/{p.Events} events ({percent:F0} %)   ");
            }
        }

        Console.WriteLine();
        try
        {
            await rebuild;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"rebuild failed: {e.Message}");
            return 1;
        }

        var status = await host.StatusAsync(ct);
        Console.WriteLine($"search index rebuilt: {status.Documents} documents up to event {status.Position} in {status.Path}");
        host.Dispose();
        return 0;
    }
}
