using System.Diagnostics;
using System.Globalization;
using ECase.Application.Cases;
using ECase.Application.Common;
using ECase.Application.FilePlans;
using ECase.Application.Files;
using ECase.Domain.Common;
using ECase.Domain.FilePlans;
using ECase.Infrastructure;
using ECase.Projections.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;

namespace ECase.Bench;

/// <summary>
/// (3) Projection lag through the real indexer: a host built like the API's core (<see cref="CoreSetup.AddECaseCore"/>,
/// its own throwaway Marten schema, content store and index folder), the <see cref="SearchIndexer"/> feeding the index
/// from the events. Under a steady load of commands, probes open a case whose title holds a word found nowhere else;
/// each probe's lag is the time from the command's completion (its events committed) to the first search (as the
/// registrar) that finds it. That is the indexer's poll interval, the event read, the projection, the Lucene commit and
/// the searcher refresh.
/// </summary>
public static class SearchLagPhase
{
    private const string PlanUnitCode = "99.2";

    private static readonly SearchScope RegistrarScope = SearchEndpointScope(AppPhase.Registrar);

    private static readonly string[] Subjects =
    [
        "Bauantrag Neubau Garage", "Widerspruch gegen Gebührenbescheid", "Sondernutzung Gehweg", "Baumfällung im Garten",
        "Anmeldung Gewerbe", "Lärmbeschwerde Gaststätte", "Zuschuss Vereinsheim", "Parkausweis Anwohner",
    ];

    public sealed record Result(Latency Latency, double MaxMs, double LoadCommandsPerSecond, double ProbeCommandP50Ms);

    public static async Task<Result> RunAsync(SearchBenchOptions o, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        var schema = Names.Schema("bench");
        var root = Names.TempDirectory("ecase-bench-search-lag");
        Console.WriteLine(string.Create(inv,
            $"[lag] schema {schema}, content store and index under {root}; {o.LagProbes} probes at {o.LagRate:0.##}/s, background {o.LagLoad:0.##} commands/s over {o.LagWriters} writers"));

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
            DisableDefaults = false,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Marten"] = o.ConnectionString,
            ["Marten:Schema"] = schema,
            ["ContentStore:Root"] = System.IO.Path.Combine(root, "content"),
            ["Search:Path"] = System.IO.Path.Combine(root, "search"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddECaseCore();

        var host = builder.Build();
        try
        {
            var started = Stopwatch.StartNew();
            await host.StartAsync(ct);
            var sp = host.Services;
            var search = sp.GetRequiredService<SearchIndexHost>();
            var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SearchOptions>>().Value;
            Console.WriteLine(string.Create(inv,
                $"[lag] host started in {started.Elapsed.TotalSeconds:0.0} s; indexer poll interval {options.PollInterval.TotalMilliseconds:0} ms, batch {options.BatchSize} events"));

            await InvokeAsync<CommandResult>(sp, new CreatePlanUnit(Guid.CreateVersion7(), PlanUnitCode, "Benchmark Suche", 10, DisposalProposal.Appraise, AppPhase.Registrar), ct);
            var probeFile = (await InvokeAsync<FileOpenedResult>(sp, OpenFile("Verzögerungsmessung"), ct)).Id;

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            long loadCommands = 0;
            var loadStart = Stopwatch.GetTimestamp();
            var writers = Enumerable.Range(0, o.LagLoad > 0 ? o.LagWriters : 0).Select(w => Task.Run(async () =>
            {
                // Each writer keeps its share of the rate on a fixed schedule (no catch-up bursts after a slow command).
                var interval = TimeSpan.FromSeconds(o.LagWriters / o.LagLoad);
                var next = Stopwatch.GetTimestamp();
                Guid? file = null;
                try
                {
                    for (var k = 0; !stop.IsCancellationRequested; k++)
                    {
                        var subject = Subjects[(w + k) % Subjects.Length];
                        if (file is null || k % 5 == 0) file = (await InvokeAsync<FileOpenedResult>(sp, OpenFile($"{subject} {w}-{k}"), stop.Token)).Id;
                        else await InvokeAsync<CommandResult>(sp, new OpenCase(file.Value, Guid.CreateVersion7(), $"{subject} Vorgang {k}", null, AppPhase.Clerk), stop.Token);
                        Interlocked.Increment(ref loadCommands);
                        next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
                        var wait = next - Stopwatch.GetTimestamp();
                        if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), stop.Token);
                        else next = Stopwatch.GetTimestamp();
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                }
            }, CancellationToken.None)).ToList();

            // Let the writers and the indexer settle before the first probe.
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var cpu = new CpuMeter(null);
            var probes = new List<Task<(long Lag, long Command)>>();
            var first = Stopwatch.GetTimestamp();
            try
            {
                for (var k = 0; k < o.LagProbes; k++)
                {
                    var due = first + (long)(k / o.LagRate * Stopwatch.Frequency);
                    var wait = due - Stopwatch.GetTimestamp();
                    if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), ct);
                    var word = "lagprobe" + string.Concat(k.ToString("0000", inv).Select(c => (char)('q' + c - '0')));
                    probes.Add(ProbeAsync(sp, search, probeFile, word, ct));
                }

                await Task.WhenAll(probes);
            }
            finally
            {
                stop.Cancel();
                await Task.WhenAll(writers);
            }

            var use = cpu.Stop();
            var loadRate = loadCommands / Stopwatch.GetElapsedTime(loadStart).TotalSeconds;
            var lags = probes.Select(p => p.Result.Lag).ToList();
            var latency = Latency.Of(lags);
            var max = lags.Max() * 1000.0 / Stopwatch.Frequency;
            var command = Latency.Of(probes.Select(p => p.Result.Command));
            Console.WriteLine(string.Create(inv,
                $"[lag] command completed -> found in a search (registrar): n={latency.Count} p50={latency.P50Ms:0.0} ms p99={latency.P99Ms:0.0} ms max={max:0.0} ms mean={latency.MeanMs:0.0} ms " +
                $"(search polled every 2 ms); probe command (OpenCase) p50 {command.P50Ms:0.0} ms; background {loadRate:0.0} commands/s achieved; index position {search.Current.Position}, {search.Current.DocumentCount} entries"));
            Console.WriteLine($"[lag] {use.Describe(0)}");
            return new Result(latency, max, loadRate, command.P50Ms);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
            await Sql.DropSchemaAsync(o.ConnectionString, schema);
            Names.DeleteDirectory(root);
        }
    }

    private static async Task<(long Lag, long Command)> ProbeAsync(IServiceProvider sp, SearchIndexHost search, Guid file, string word, CancellationToken ct)
    {
        var c0 = Stopwatch.GetTimestamp();
        await InvokeAsync<CommandResult>(sp, new OpenCase(file, Guid.CreateVersion7(), $"Prüfung {word}", null, AppPhase.Clerk), ct);
        var t0 = Stopwatch.GetTimestamp();
        var request = new SearchRequest(word, RegistrarScope);
        while (search.Search(request).Total == 0)
        {
            if (Stopwatch.GetElapsedTime(t0) > TimeSpan.FromSeconds(30)) throw new TimeoutException($"{word} not found 30 s after its command completed");
            await Task.Delay(2, ct);
        }

        return (Stopwatch.GetTimestamp() - t0, t0 - c0);
    }

    private static OpenFile OpenFile(string title) =>
        new(Guid.CreateVersion7(), title, PlanUnitCode, Confidentiality.Open, AppPhase.Clerk.OrgUnit, AppPhase.Clerk);

    private static async Task<T> InvokeAsync<T>(IServiceProvider sp, object command, CancellationToken ct)
    {
        await using var scope = sp.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<T>(command, ct);
    }

    /// <summary>The registrar's scope as the search endpoint derives it: every org unit, up to their clearance.</summary>
    private static SearchScope SearchEndpointScope(ECase.Application.Security.CurrentUser user) => ECase.Application.Search.SearchEndpoint.ScopeOf(user);
}
