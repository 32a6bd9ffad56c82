using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using ECase.Application.Disposal;
using ECase.Application.Submissions;

namespace ECase.Integration.Tests.Disposal;

/// <summary>Export jobs: cancelled cleanly, and restarted cleanly after the server stops in the middle.</summary>
public sealed class ExportJobTests
{
    /// <summary>A due file with one case of <paramref name="documents"/> text notes (each gets its PDF/A rendition in the job), offered and appraised A.</summary>
    private static async Task<Guid> AppraisedProcessAsync(ECaseApp app, int documents)
    {
        var given = new Given(app);
        var file = await given.FileAsync();
        var c = await given.CaseAsync(file.Id);
        var notes = Enumerable.Range(1, documents)
            .Select(i => ($"Vermerk-{i}.txt", "text/plain", Encoding.UTF8.GetBytes($"Aktenvermerk Nr. {i}: {string.Join(' ', Enumerable.Repeat("Ortstermin an der Straße", 200))}")))
            .ToArray();
        foreach (var chunk in notes.Chunk(100)) // a submission holds at most 100 documents
        {
            await (await given.ClerkHa.PostAsync($"/api/cases/{c.Id}/submissions", Given.Submission("Vermerke", chunk))).ReadAsync<SubmissionRegistered>();
            await app.WaitForJobsAsync(); // text extraction appends to the case stream meanwhile
        }

        (await given.ClerkHa.PostJsonAsync($"/api/cases/{c.Id}/close", new { })).EnsureSuccessStatusCode();
        (await given.ClerkHa.PostJsonAsync($"/api/files/{file.Id}/close", new { })).EnsureSuccessStatusCode();
        (await given.Registrar.PutAsync($"/api/files/{file.Id}/retention", new StringContent(
            $$"""{"endsOn":"{{DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1):yyyy-MM-dd}}","reason":"abgelaufen"}""", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        var process = (await (await given.Registrar.PostJsonAsync("/api/disposal/processes", new { fileIds = new[] { file.Id } })).ReadAsync<DisposalStarted>()).ProcessId;
        (await app.ClientFor("archivist").PostAsync($"/api/disposal/processes/{process}/appraisal", ArchiveSide.Xml(ArchiveSide.Appraisal(process, (file.Id, "A")))))
            .EnsureSuccessStatusCode();
        return process;
    }

    private static async Task<ExportJob> WaitAsync(HttpClient archivist, Guid jobId, Func<ExportJob, bool> until, TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        while (true)
        {
            var job = await (await archivist.GetAsync($"/api/export-jobs/{jobId}")).ReadAsync<ExportJob>();
            if (until(job)) return job;
            if (DateTime.UtcNow - started > timeout) throw new TimeoutException($"job {job.Status} {job.Phase} {job.ObjectsDone}/{job.ObjectsTotal}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task A_cancelled_job_leaves_nothing_to_download_and_a_new_one_completes()
    {
        await using var app = new ECaseApp();
        var archivist = app.ClientFor("archivist");
        var process = await AppraisedProcessAsync(app, 300);

        var job = await (await archivist.PostJsonAsync($"/api/disposal/processes/{process}/transfer", new { })).ReadAsync<ExportJob>();
        Assert.Equal(HttpStatusCode.Conflict, (await archivist.PostJsonAsync($"/api/disposal/processes/{process}/transfer", new { })).StatusCode);
        await WaitAsync(archivist, job.Id, j => j.Status == ExportJobStatus.Running || j.Finished, TimeSpan.FromSeconds(60));
        (await archivist.PostJsonAsync($"/api/export-jobs/{job.Id}/cancel", new { })).EnsureSuccessStatusCode();
        var cancelled = await WaitAsync(archivist, job.Id, j => j.Finished, TimeSpan.FromSeconds(60));

        Assert.Equal(ExportJobStatus.Cancelled, cancelled.Status);
        Assert.Equal("export-job-not-completed", (await (await archivist.GetAsync($"/api/export-jobs/{job.Id}/download")).ProblemAsync(409)).Code());
        var exports = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(app.ContentRoot)!, "exports");
        Assert.False(System.IO.Directory.Exists(System.IO.Path.Combine(exports, job.Id.ToString("N"))), "the cancelled job's folder is gone");

        var again = await (await archivist.PostJsonAsync($"/api/disposal/processes/{process}/transfer", new { })).ReadAsync<ExportJob>();
        var done = await WaitAsync(archivist, again.Id, j => j.Finished, TimeSpan.FromMinutes(2));
        Assert.Equal(ExportJobStatus.Completed, done.Status);
    }

    /// <summary>The API as its own process on the test schema, so that it can be killed like a crashing server.</summary>
    private static System.Diagnostics.Process StartServer(string schema, string content, int port)
    {
        var bin = AppContext.BaseDirectory;
        var info = new System.Diagnostics.ProcessStartInfo("dotnet", [System.IO.Path.Combine(bin, "ECase.Api.dll")])
        {
            WorkingDirectory = bin, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing", ["Urls"] = $"http://127.0.0.1:{port}",
            ["ConnectionStrings__Marten"] = ECaseApp.ConnectionString, ["Marten__Schema"] = schema, ["ContentStore__Root"] = content,
            ["Search__Path"] = content + "-search", ["Auth__DevTokens__Enabled"] = "true", ["Auth__DevTokens__SigningKey"] = ECaseApp.SigningKey,
            ["Demo__Seed"] = "false", ["Signatures__TrustStore"] = content + "-trust",
            ["ServerKey__CertificatePath"] = System.IO.Path.Combine(content + "-keys", "server-key.pfx"), ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__Format"] = "simple",
        };
        foreach (var (key, value) in env) info.Environment[key] = value;
        var process = System.Diagnostics.Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_job_killed_in_the_middle_starts_again_after_a_restart_and_offers_only_a_complete_container()
    {
        var schema = $"t_{Guid.NewGuid():N}"[..20];
        var content = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-test-{Guid.NewGuid():N}");
        Guid process, jobId;
        string token;
        await using (var setup = new ECaseApp(schema, content, [], ownsData: false))
        {
            process = await AppraisedProcessAsync(setup, 300);
            token = setup.TokenFor("archivist", TimeSpan.FromHours(1));
        }

        var port = FreePort();
        var server = StartServer(schema, content, port);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var started = DateTime.UtcNow;
            while (true)
            {
                try
                {
                    if ((await http.GetAsync("/health/live")).IsSuccessStatusCode) break;
                }
                catch (HttpRequestException)
                {
                }

                Assert.False(server.HasExited, "the server process exited");
                if (DateTime.UtcNow - started > TimeSpan.FromSeconds(90)) throw new TimeoutException("server did not start");
                await Task.Delay(200);
            }

            jobId = (await (await http.PostJsonAsync($"/api/disposal/processes/{process}/transfer", new { })).ReadAsync<ExportJob>()).Id;
            var running = await WaitAsync(http, jobId, j => (j.Status == ExportJobStatus.Running && j.ObjectsDone > 0) || j.Finished, TimeSpan.FromSeconds(60));
            Assert.Equal(ExportJobStatus.Running, running.Status);
            server.Kill(entireProcessTree: true); // a crash: no draining, no cleanup
            await server.WaitForExitAsync();
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            server.Dispose();
        }

        await using var second = new ECaseApp(schema, content, [], ownsData: true);
        var again = second.ClientFor("archivist");
        // Right after the crash the job still says Running and nothing can be downloaded; the restarted host begins it again.
        Assert.Equal(HttpStatusCode.Conflict, (await again.GetAsync($"/api/export-jobs/{jobId}/download")).StatusCode);
        var done = await WaitAsync(again, jobId, j => j.Finished, TimeSpan.FromMinutes(2));
        Assert.True(done.Status == ExportJobStatus.Completed, $"{done.Status}: {done.Error}");
        Assert.True(done.Attempts >= 2, $"attempts: {done.Attempts}");

        var zip = await (await again.GetAsync($"/api/export-jobs/{jobId}/download")).Content.ReadAsByteArrayAsync();
        Assert.Equal(done.Sha256, Convert.ToHexStringLower(SHA256.HashData(zip)));
        using var archive = new ZipArchive(new System.IO.MemoryStream(zip));
        var manifest = archive.Entries.Single(e => e.FullName.EndsWith(".sha256", StringComparison.Ordinal));
        using var reader = new System.IO.StreamReader(manifest.Open());
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(archive.Entries.Count - 1, lines.Length);
        foreach (var line in lines)
        {
            var (hash, name) = (line[..64], line[66..].TrimStart('*'));
            await using var entry = archive.GetEntry(name)!.Open();
            Assert.Equal(hash, Convert.ToHexStringLower(await SHA256.HashDataAsync(entry)));
        }

        Assert.Equal(600, archive.Entries.Count(e => e.FullName.EndsWith(".pdf", StringComparison.Ordinal) || e.FullName.EndsWith(".txt", StringComparison.Ordinal)));
    }
}
