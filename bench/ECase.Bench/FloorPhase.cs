using System.Diagnostics;
using System.Net;

namespace ECase.Bench;

/// <summary>
/// (f) The floor of the HTTP phase (ADR 0026): the same writers, mix and client code as <see cref="HttpPhase"/>, against
/// <see cref="FloorServer"/> (this program as a child process, with the API's runtime settings) instead of the API. What no
/// implementation of these commands can beat on this machine: HTTP, token, upload into the content store, one event row.
/// </summary>
public static class FloorPhase
{
    public static async Task<PhaseResult> RunAsync(BenchOptions options, ErrorLog errors, CancellationToken ct)
    {
        var schema = Names.Schema("bench_floor");
        var contentRoot = Names.TempDirectory("ecase-bench-floor-content");
        var port = HttpPhase.FreePort();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        Console.WriteLine($"[floor] schema {schema}, content store {contentRoot}, floor server on {baseUri}");

        using var server = new HttpPhase.ApiProcess(typeof(FloorPhase).Assembly.Location, new Dictionary<string, string>
        {
            ["Floor__Schema"] = schema,
            ["Floor__ConnectionString"] = options.ConnectionString,
            ["Floor__ContentRoot"] = contentRoot,
            ["Urls"] = baseUri.ToString().TrimEnd('/'),
            // The API's runtimeconfig settings (ADR 0023), which this program's own runtimeconfig does not have.
            ["DOTNET_gcServer"] = "1",
            ["DOTNET_GCDynamicAdaptationMode"] = "0",
            ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0",
        }, FloorServer.Command);
        var clients = new List<HttpClient>();
        try
        {
            var started = Stopwatch.StartNew();
            using var probe = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
            await server.WaitUntilReadyAsync(probe, TimeSpan.FromSeconds(60), ct);
            Console.WriteLine($"[floor] server ready in {started.Elapsed.TotalSeconds:0.0} s (pid {server.Process.Id})");

            var token = await HttpPhase.TokenAsync(probe, "clerk-ha", ct);
            var writers = HttpPhase.Writers(baseUri, token, options, clients);

            // The floor's own checks must hold, or it would be a floor of something else: no token, no write.
            using (var anonymous = new HttpRequestMessage(HttpMethod.Post, "/api/files") { Content = new StringContent("{}", null, "application/json") })
            using (var response = await probe.SendAsync(anonymous, ct))
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                    throw new InvalidOperationException($"The floor server answered {(int)response.StatusCode} to a request without a token (expected 401).");

            var result = await Driver.RunAsync("floor", writers, CaseCycleWriter.Kinds, options, errors, server.Process, new DbProbe(options.ConnectionString, schema), ct);
            Driver.Print(result, "floor_cps");
            return result;
        }
        catch
        {
            server.PrintTail();
            throw;
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
            await server.StopAsync();
            await Sql.DropSchemaAsync(options.ConnectionString, schema);
            Names.DeleteDirectory(contentRoot);
        }
    }
}
