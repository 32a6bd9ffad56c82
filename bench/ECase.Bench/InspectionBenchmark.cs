using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace ECase.Bench;

/// <summary>Command line of <c>inspection</c>: <c>inspection [--quick] [--clients N] [--seconds S] [--warmup W] [--documents D]</c>.</summary>
public sealed class InspectionBenchOptions
{
    public int Clients { get; private set; } = 16;
    public double Seconds { get; private set; } = 15;
    public double Warmup { get; private set; } = 3;

    /// <summary>Warm-up cap: past <see cref="Warmup"/> a phase warms up until its rate settles (ADR 0025); 0 with --quick.</summary>
    public double WarmupMax { get; private set; } = 180;
    public int Documents { get; private set; } = 10;
    public int PagesPerDocument { get; private set; } = 3;
    public string? ApiDll { get; private set; }

    public string ConnectionString { get; private set; } =
        Environment.GetEnvironmentVariable("ECASE_PG") is { Length: > 0 } pg ? pg : BenchOptions.DefaultConnectionString;

    public static string Usage => """
        usage: ECase.Bench inspection [--quick] [--clients N] [--seconds S] [--warmup W] [--documents D] [options]
          --quick           5 s per phase after a fixed 1 s warm-up (whole run < 60 s; the JIT has not settled)
          --clients N       concurrent HTTP clients, one connection and one inspection each (default 16)
          --seconds S       measured seconds per phase (default 15)
          --warmup W        warm-up seconds every phase runs at least (default 3)
          --warmup-max S    then warm up until the rate settles, at most S seconds (default 180; = --warmup: fixed)
          --documents D     granted documents per inspection, 3 pages each (default 10)
          --pg CONNSTR      PostgreSQL connection string (default $ECASE_PG or the project-local cluster)
          --api-dll PATH    the API to start (bench/run.sh passes the Release build)
        """;

    public static InspectionBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new InspectionBenchOptions();
        double? seconds = null, warmup = null, warmupMax = null;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{a} needs a value.");
            int NextInt(int min) =>
                int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min ? v : throw new ArgumentException($"{a} needs a whole number >= {min}.");
            double NextDouble(double min) =>
                double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min ? v : throw new ArgumentException($"{a} needs a number >= {min}.");
            switch (a)
            {
                case "inspection": break;
                case "--quick": o.Seconds = 5; o.Warmup = 1; o.WarmupMax = 0; break;
                case "--clients": o.Clients = NextInt(1); break;
                case "--seconds": seconds = NextDouble(0.5); break;
                case "--warmup": warmup = NextDouble(0); break;
                case "--warmup-max": warmupMax = NextDouble(0); break;
                case "--documents": o.Documents = NextInt(1); break;
                case "--pg": o.ConnectionString = Next(); break;
                case "--api-dll": o.ApiDll = Next(); break;
                case "-h" or "--help": throw new ArgumentException("");
                default: throw new ArgumentException($"Unknown option {a}.");
            }
        }

        if (seconds is { } s) o.Seconds = s;
        if (warmup is { } w) o.Warmup = w;
        if (warmupMax is { } m) o.WarmupMax = m;
        o.WarmupMax = Math.Max(o.WarmupMax, o.Warmup);
        return o;
    }

    /// <summary>The shared driver's options with this run's clients and durations.</summary>
    public BenchOptions Driver() => BenchOptions.Parse(
        ["append", "--writers", Clients.ToString(CultureInfo.InvariantCulture), "--seconds", Seconds.ToString(CultureInfo.InvariantCulture),
         "--warmup", Warmup.ToString(CultureInfo.InvariantCulture), "--warmup-max", WarmupMax.ToString(CultureInfo.InvariantCulture), "--pg", ConnectionString]);
}

/// <summary>
/// <c>inspection</c> (issue #7): the citizen's document list and page view over HTTP with N concurrent clients on loopback,
/// against the API's cheapest endpoint (<c>/health/live</c>: routing, no authentication, no database) on the same host in the
/// same run as the ceiling. Each client is one citizen session on its own inspection of a file with D redacted documents.
/// </summary>
public static class InspectionBenchmark
{
    public static Task<int> MainAsync(string[] args) => BenchMain.RunAsync(
        args, InspectionBenchOptions.Parse, InspectionBenchOptions.Usage, "cancelling: stopping the clients and the API …", RunAsync);

    private static async Task<int> RunAsync(InspectionBenchOptions o, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv,
            $"bench inspection: clients={o.Clients} seconds={o.Seconds:0.#} warmup={o.Warmup:0.#} documents={o.Documents}x{o.PagesPerDocument} pages; cpus={Environment.ProcessorCount}"));
        var idle = new CpuMeter(null);
        await Task.Delay(1000, ct);
        var before = idle.Stop();
        Console.WriteLine(string.Create(inv, $"background load before the run: {before.MachineBusyCores:0.00}/{before.MachineCores:0} cores busy (postgres {before.PostgresCores ?? 0:0.00})"));

        var dll = o.ApiDll ?? HttpPhase.DefaultApiDll();
        if (!System.IO.File.Exists(dll)) throw new InvalidOperationException($"{dll} does not exist: build src/Api in Release first (bench/run.sh does).");
        var schema = Names.Schema("bench_insp");
        var contentRoot = Names.TempDirectory("ecase-bench-inspection");
        var baseUri = new Uri($"http://127.0.0.1:{HttpPhase.FreePort()}");
        using var api = new HttpPhase.ApiProcess(dll, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Demo__Seed"] = "false",
            ["Auth__DevTokens__Enabled"] = "true",
            ["Marten__Schema"] = schema,
            ["ConnectionStrings__Marten"] = o.ConnectionString,
            ["ContentStore__Root"] = contentRoot,
            ["Search__Path"] = System.IO.Path.Combine(contentRoot, "search-index"),
            // Inside the run's folder, so the copies go with it (by default they would sit beside it, in the shared temp folder).
            ["Inspection__CopiesPath"] = System.IO.Path.Combine(contentRoot, "inspection-copies"),
            ["Scanning__DeriveFormats"] = "false",
            ["Urls"] = baseUri.ToString().TrimEnd('/'),
            ["Logging__Format"] = "simple",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        var clients = new List<HttpClient>();
        var errors = new ErrorLog();
        try
        {
            using var probe = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
            var started = Stopwatch.StartNew();
            await api.WaitUntilReadyAsync(probe, TimeSpan.FromSeconds(90), ct);
            Console.WriteLine($"[setup] API ready in {started.Elapsed.TotalSeconds:0.0} s; schema {schema}");

            started.Restart();
            var (inspections, documents) = await SeedAsync(probe, o, ct);
            Console.WriteLine($"[setup] {inspections.Count} inspections of one file with {documents.Count} documents granted, one box each, pages rendered once, in {started.Elapsed.TotalSeconds:0.0} s");

            var citizen = await HttpPhase.TokenAsync(probe, "citizen", ct);
            HttpClient Client()
            {
                var c = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
                {
                    BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30),
                };
                c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", citizen);
                clients.Add(c);
                return c;
            }

            var driver = o.Driver();
            var ceiling = await Driver.RunAsync("ceiling", [.. Enumerable.Range(0, o.Clients).Select(_ => new GetWriter(Client(), _ => "/health/live"))],
                ["health-live"], driver, errors, api.Process, null, ct);
            Driver.Print(ceiling, "ceiling_rps");
            var list = await Driver.RunAsync("list", [.. Enumerable.Range(0, o.Clients).Select(i => new GetWriter(Client(), _ => $"/api/citizen/inspections/{inspections[i % inspections.Count]}/documents"))],
                ["document-list"], driver, errors, api.Process, new DbProbe(o.ConnectionString, schema), ct);
            Driver.Print(list, "list_rps");
            var pages = documents.SelectMany(d => Enumerable.Range(1, o.PagesPerDocument).Select(p => (d, p))).ToArray();
            var page = await Driver.RunAsync("page", [.. Enumerable.Range(0, o.Clients).Select(i => new GetWriter(Client(), n =>
                {
                    var (d, p) = pages[(n + i) % pages.Length];
                    return $"/api/citizen/inspections/{inspections[i % inspections.Count]}/documents/{d}/pages/{p}";
                }))],
                ["page-view"], driver, errors, api.Process, null, ct);
            Driver.Print(page, "page_rps");

            if (errors.Count > 0) errors.Print(Console.Error);
            var failed = ceiling.Errors + list.Errors + page.Errors;
            Console.WriteLine(string.Create(inv,
                $"RESULT inspection list_rps={list.Rate:0.0} page_rps={page.Rate:0.0} ceiling_rps={ceiling.Rate:0.0} ratio_ceiling={list.Rate / ceiling.Rate:0.00} " +
                $"p99_ms={list.Latency.P99Ms:0.00} page_p99_ms={page.Latency.P99Ms:0.00} ceiling_p99_ms={ceiling.Latency.P99Ms:0.00} ratio_page_ceiling={page.Rate / ceiling.Rate:0.00} errors={failed}"));
            return failed == 0 ? 0 : 1;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            api.PrintTail();
            throw;
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
            await api.StopAsync();
            await Sql.DropSchemaAsync(o.ConnectionString, schema);
            Names.DeleteDirectory(contentRoot);
        }
    }

    /// <summary>A plan unit, a file with one case and D letters, one inspection per client granted with a box on every letter.</summary>
    private static async Task<(List<Guid> Inspections, List<Guid> Documents)> SeedAsync(HttpClient http, InspectionBenchOptions o, CancellationToken ct)
    {
        var registrar = await HttpPhase.TokenAsync(http, "registrar", ct);
        var clerk = await HttpPhase.TokenAsync(http, "clerk-ha", ct);
        var citizen = await HttpPhase.TokenAsync(http, "citizen", ct);
        await SendAsync(http, registrar, HttpMethod.Post, "/api/file-plan", new { code = "99.1", title = "Benchmark", retentionYears = 10, disposal = "Archive" }, HttpStatusCode.Created, ct);
        var file = await SendAsync(http, clerk, HttpMethod.Post, "/api/files", new { title = "Akteneinsicht Benchmark", planUnitCode = "99.1" }, HttpStatusCode.Created, ct);
        var fileId = file.GetProperty("id").GetGuid();
        var reference = file.GetProperty("reference").GetString()!;
        var caseId = (await SendAsync(http, clerk, HttpMethod.Post, $"/api/files/{fileId}/cases", new { title = "Antrag" }, HttpStatusCode.Created, ct)).GetProperty("id").GetGuid();

        var documents = new List<Guid>();
        for (var d = 0; d < o.Documents; d++)
        {
            using var form = new MultipartFormDataContent { { new StringContent($"Schreiben {d + 1}"), "subject" }, { new StringContent("Email"), "channel" } };
            var part = new ByteArrayContent(Letter(d, o.PagesPerDocument));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(part, "documents", $"Schreiben-{d + 1}.pdf");
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/submissions") { Content = form };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", clerk);
            var registered = await HttpPhase.HttpPort.SendAsync(http, request, HttpStatusCode.Created, ct);
            documents.Add(registered.GetProperty("documentIds")[0].GetGuid());
        }

        var inspections = new List<Guid>();
        var expires = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30);
        for (var i = 0; i < o.Clients; i++)
        {
            var id = (await SendAsync(http, citizen, HttpMethod.Post, "/api/citizen/inspections",
                new { fileReference = reference, reason = "Beteiligter im Verfahren", legalBasis = "Participant" }, HttpStatusCode.Created, ct)).GetProperty("inspectionId").GetGuid();
            foreach (var doc in documents)
                await SendAsync(http, clerk, HttpMethod.Post, $"/api/inspections/{id}/redactions",
                    new { documentId = doc, documentVersion = 1, page = 1, x = 60, y = 692, width = 300, height = 26, wholePage = false, reasonCode = "ThirdPartyPersonalData" },
                    HttpStatusCode.Created, ct);
            await SendAsync(http, clerk, HttpMethod.Post, $"/api/inspections/{id}/grant", new { wholeFile = true, expiresOn = expires, downloadAllowed = true }, HttpStatusCode.OK, ct);
            inspections.Add(id);
        }

        // Every page once: the redacted copies and page images are made here, not in the measured phases (they are cached by content).
        foreach (var doc in documents)
        for (var p = 1; p <= o.PagesPerDocument; p++)
            await SendAsync(http, citizen, HttpMethod.Get, $"/api/citizen/inspections/{inspections[0]}/documents/{doc}/pages/{p}", null, HttpStatusCode.OK, ct, json: false);
        return (inspections, documents);
    }

    private static async Task<JsonElement> SendAsync(
        HttpClient http, string token, HttpMethod method, string path, object? body, HttpStatusCode expected, CancellationToken ct, bool json = true)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json) return await HttpPhase.HttpPort.SendAsync(http, request, expected, ct);
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode != expected) throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        return default;
    }

    /// <summary>A letter of a few A4 pages with a line of personal data where the box goes.</summary>
    private static byte[] Letter(int n, int pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        for (var p = 1; p <= pages; p++)
        {
            var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
            page.AddText($"Schreiben {n + 1}, Seite {p}: Bauantrag Schlossstrasse {n + 7}", 12, new PdfPoint(72, 750), font);
            page.AddText($"Max Mustermann, geb. 01.02.19{50 + (n % 50)}", 12, new PdfPoint(72, 700), font);
            for (var line = 0; line < 30; line++)
                page.AddText($"Zeile {line + 1}: Die Stellungnahme der Behoerde zum Vorhaben wird hiermit erteilt.", 10, new PdfPoint(72, 650 - (line * 18)), font);
        }

        return builder.Build();
    }

    /// <summary>One client: GET of the path <paramref name="path"/> gives for the n-th request; any status but 200 is an error.</summary>
    private sealed class GetWriter(HttpClient client, Func<int, string> path) : IBenchWriter
    {
        private int _n;

        public int NextKind => 0;

        public async Task StepAsync(CancellationToken ct)
        {
            using var response = await client.GetAsync(path(_n++), HttpCompletionOption.ResponseContentRead, ct);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }

        public void Recover()
        {
        }
    }
}
