using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ECase.Bench;

/// <summary>
/// (c) The same mix through the real API: the built ECase.Api.dll runs as a child process with its own Marten schema
/// and content store; N HttpClients (one connection each) send the commands with a clerk's development token.
/// </summary>
public static class HttpPhase
{
    public static async Task<PhaseResult> RunAsync(BenchOptions options, ErrorLog errors, CancellationToken ct)
    {
        var dll = options.ApiDll ?? DefaultApiDll();
        if (!System.IO.File.Exists(dll)) throw new InvalidOperationException($"{dll} does not exist: build src/Api in Release first (bench/run.sh does).");
        var schema = Names.Schema("bench_http");
        var contentRoot = Names.TempDirectory("ecase-bench-http-content");
        var port = FreePort();
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        Console.WriteLine($"[http] schema {schema}, content store {contentRoot}, API {dll} on {baseUri}");

        using var api = new ApiProcess(dll, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["Demo__Seed"] = "false",
            ["Auth__DevTokens__Enabled"] = "true",
            ["Marten__Schema"] = schema,
            ["ConnectionStrings__Marten"] = options.ConnectionString,
            ["ContentStore__Root"] = contentRoot,
            ["Search__Path"] = System.IO.Path.Combine(contentRoot, "search-index"),
            ["Urls"] = baseUri.ToString().TrimEnd('/'),
            ["Logging__Format"] = "simple",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        var clients = new List<HttpClient>();
        try
        {
            var started = Stopwatch.StartNew();
            using var probe = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(10) };
            await api.WaitUntilReadyAsync(probe, TimeSpan.FromSeconds(90), ct);
            Console.WriteLine($"[http] API ready in {started.Elapsed.TotalSeconds:0.0} s (pid {api.Process.Id})");

            var clerkToken = await TokenAsync(probe, "clerk-ha", ct);
            var registrarToken = await TokenAsync(probe, "registrar", ct);
            using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/file-plan")
            {
                Content = JsonContent.Create(new { code = AppPhase.PlanUnitCode, title = "Benchmark", retentionYears = 10, disposal = "Appraise" }),
            })
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", registrarToken);
                await HttpPort.SendAsync(probe, request, HttpStatusCode.Created, ct);
            }

            var writers = Writers(baseUri, clerkToken, options, clients);
            var result = await Driver.RunAsync("http", writers, CaseCycleWriter.Kinds, options, errors, api.Process, new DbProbe(options.ConnectionString, schema), ct);
            Driver.Print(result, "http_cps");
            return result;
        }
        catch
        {
            api.PrintTail();
            throw;
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
            await api.StopAsync();
            await Sql.DropSchemaAsync(options.ConnectionString, schema);
            Names.DeleteDirectory(contentRoot);
        }
    }

    /// <summary>One <see cref="CaseCycleWriter"/> per writer, each with its own HttpClient (one connection), added to <paramref name="clients"/>.</summary>
    internal static List<IBenchWriter> Writers(Uri baseUri, string token, BenchOptions options, List<HttpClient> clients)
    {
        var writers = new List<IBenchWriter>();
        for (var i = 0; i < options.Writers; i++)
        {
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
            {
                BaseAddress = baseUri,
                Timeout = TimeSpan.FromSeconds(60),
            };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            clients.Add(client);
            writers.Add(new CaseCycleWriter(i, new HttpPort(client), options));
        }

        return writers;
    }

    internal static async Task<string> TokenAsync(HttpClient client, string user, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/dev/tokens/{user}");
        var body = await HttpPort.SendAsync(client, request, HttpStatusCode.OK, ct);
        return body.GetProperty("accessToken").GetString() ?? throw new InvalidOperationException("No accessToken in the token response.");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>src/Api/bin/Release/net10.0/ECase.Api.dll of the checkout this program was built in.</summary>
    internal static string DefaultApiDll()
    {
        for (var dir = new System.IO.DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "ECase.sln")))
                return System.IO.Path.Combine(dir.FullName, "src", "Api", "bin", "Release", "net10.0", "ECase.Api.dll");
        throw new InvalidOperationException("Cannot find ECase.sln above the benchmark; pass --api-dll.");
    }

    internal sealed class HttpPort(HttpClient client) : ICasePort
    {
        public async Task<Guid> OpenFileAsync(string title, CancellationToken ct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/files")
            {
                Content = JsonContent.Create(new { title, planUnitCode = AppPhase.PlanUnitCode, confidentiality = "Open", orgUnit = AppPhase.Clerk.OrgUnit }),
            };
            return (await SendAsync(client, request, HttpStatusCode.Created, ct)).GetProperty("id").GetGuid();
        }

        public async Task<Guid> OpenCaseAsync(Guid fileId, string title, CancellationToken ct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/files/{fileId}/cases") { Content = JsonContent.Create(new { title }) };
            return (await SendAsync(client, request, HttpStatusCode.Created, ct)).GetProperty("id").GetGuid();
        }

        public async Task RegisterSubmissionAsync(Guid caseId, string subject, string fileName, byte[] document, CancellationToken ct)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(subject), "subject" },
                { new StringContent("Email"), "channel" },
                { new StringContent("Muster GmbH"), "senderName" },
                { new StringContent("Hauptstraße 1, 12345 Musterstadt"), "senderAddress" },
            };
            var doc = new ByteArrayContent(document);
            doc.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(doc, "doc", fileName);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/submissions") { Content = form };
            await SendAsync(client, request, HttpStatusCode.Created, ct);
        }

        public async Task CloseCaseAsync(Guid caseId, CancellationToken ct)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/close") { Content = JsonContent.Create(new { }) };
            await SendAsync(client, request, HttpStatusCode.OK, ct);
        }

        public static async Task<JsonElement> SendAsync(HttpClient client, HttpRequestMessage request, HttpStatusCode expected, CancellationToken ct)
        {
            using var response = await client.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode != expected)
            {
                if (text.Length > 400) text = text[..400] + "…";
                throw new HttpRequestException(
                    $"{request.Method} {request.RequestUri} answered {(int)response.StatusCode} (expected {(int)expected}): {text}", null, response.StatusCode);
            }

            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
    }

    /// <summary>The API as a child process; its output is kept (last lines) and echoed when it is a warning or worse.</summary>
    internal sealed class ApiProcess : IDisposable
    {
        private const int SigTerm = 15;
        private readonly Queue<string> _tail = new();
        private readonly Lock _lock = new();
        private bool _echo;

        public ApiProcess(string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
        {
            // Absolute, since the child runs in the dll's folder: a relative --api-dll would not be found from there.
            dll = System.IO.Path.GetFullPath(dll);
            var info = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = System.IO.Path.GetDirectoryName(dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(dll);
            foreach (var a in args) info.ArgumentList.Add(a);
            foreach (var (k, v) in environment) info.Environment[k] = v;
            Process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the API.");
            Process.OutputDataReceived += (_, e) => Keep(e.Data);
            Process.ErrorDataReceived += (_, e) => Keep(e.Data);
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public async Task WaitUntilReadyAsync(HttpClient probe, TimeSpan timeout, CancellationToken ct)
        {
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < timeout)
            {
                if (Process.HasExited) throw new InvalidOperationException($"The API exited with code {Process.ExitCode} before it was ready.");
                try
                {
                    using var response = await probe.GetAsync("/health/ready", ct);
                    if (response.IsSuccessStatusCode) return;
                }
                catch (HttpRequestException)
                {
                    // not listening yet
                }

                await Task.Delay(200, ct);
            }

            throw new TimeoutException($"The API was not ready within {timeout.TotalSeconds} s.");
        }

        public void PrintTail()
        {
            lock (_lock)
            {
                if (_tail.Count == 0) return;
                Console.Error.WriteLine("[http] last lines of the API's output:");
                foreach (var l in _tail) Console.Error.WriteLine($"  {l}");
            }
        }

        /// <summary>SIGTERM (graceful: the host stops its daemon and closes its connections), then kill after 15 s.</summary>
        public async Task StopAsync()
        {
            if (Process.HasExited) return;
            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) _ = Kill(Process.Id, SigTerm);
            else Process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await Process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("[http] the API did not stop within 15 s; killing it");
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync(CancellationToken.None);
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }

        private void Keep(string? line)
        {
            if (line is null) return;
            lock (_lock)
            {
                _tail.Enqueue(line);
                while (_tail.Count > 40) _tail.Dequeue();

                // The simple console format: "warn: Category[id]" then the message on indented lines.
                if (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
                    _echo = true;
                else if (line.Length > 0 && !char.IsWhiteSpace(line[0]))
                    _echo = false;
                if (_echo) Console.WriteLine($"[api] {line}");
            }
        }

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        private static extern int Kill(int pid, int signal);
    }
}
