using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using ECase.Api.Auth;
using ECase.Infrastructure.Persistence;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ECase.Integration.Tests;

/// <summary>
/// The real API host on the real PostgreSQL that ecase.sh started (ECASE_TEST_PG). Each host gets its own schema
/// and content folder, so test classes never see each other's data; the schema is dropped at the end.
/// </summary>
public sealed class ECaseApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const long MaxUploadBytes = 8 * 1024 * 1024;
    public static readonly string SigningKey = Convert.ToBase64String("ecase-integration-tests-signing-key-0123456789"u8.ToArray());

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly Dictionary<string, string> _settings;
    private readonly bool _ownsData;
    private TimeProvider? _clock;

    public ECaseApp()
        : this($"t_{Guid.NewGuid():N}"[..20], System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-test-{Guid.NewGuid():N}"), [], ownsData: true)
    {
    }

    /// <summary>A second host on the same schema and content folder, e.g. to test a restart.</summary>
    internal ECaseApp(string schema, string contentRoot, Dictionary<string, string> settings, bool ownsData)
    {
        Schema = schema;
        ContentRoot = contentRoot;
        _settings = settings;
        _ownsData = ownsData;
    }

    public string Schema { get; }

    public string ContentRoot { get; }

    /// <summary>The search index folder, beside the content folder (shared with a restarted host like the content).</summary>
    public string SearchRoot => ContentRoot + "-search";

    /// <summary>Folder of trusted CA certificates for signature verification (tests put their CA here).</summary>
    public string TrustStore => ContentRoot + "-trust";

    public string KeyFolder => ContentRoot + "-keys";

    /// <summary>The inspection copies of this host (by default they would go beside the content folder, shared by every host in /tmp).</summary>
    public string CopiesRoot => ContentRoot + "-copies";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("ECASE_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Database=ecase;Username=postgres";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Marten", ConnectionString);
        builder.UseSetting("Marten:Schema", Schema);
        builder.UseSetting("ContentStore:Root", ContentRoot);
        builder.UseSetting("Search:Path", SearchRoot);
        builder.UseSetting("Inspection:CopiesPath", CopiesRoot);
        builder.UseSetting("ContentStore:MaxUploadBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Auth:DevTokens:Enabled", "true");
        builder.UseSetting("Auth:DevTokens:SigningKey", SigningKey);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("Logging:Format", "simple");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Signatures:TrustStore", TrustStore);
        builder.UseSetting("ServerKey:CertificatePath", System.IO.Path.Combine(KeyFolder, "server-key.pfx"));
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        if (_clock is { } clock) builder.ConfigureTestServices(s => s.AddSingleton(clock));
    }

    /// <summary>A host of its own whose clock the test moves (e.g. past an expiry date); tokens are issued on the real clock.</summary>
    public static ECaseApp WithClock(TimeProvider clock) => new() { _clock = clock };

    public Task InitializeAsync() => Task.CompletedTask;

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (!_ownsData) return;
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Schema} CASCADE", conn);
        await cmd.ExecuteNonQueryAsync();
        foreach (var dir in new[] { ContentRoot, SearchRoot, TrustStore, KeyFolder, CopiesRoot })
            if (System.IO.Directory.Exists(dir)) System.IO.Directory.Delete(dir, recursive: true);
    }

    /// <summary>Waits until the search index holds every event appended so far.</summary>
    public async Task WaitForSearchAsync(TimeSpan? timeout = null)
    {
        var search = Services.GetRequiredService<ECase.Projections.Search.SearchIndexHost>();
        await search.WaitForAsync(await search.HighWaterAsync(default), timeout ?? TimeSpan.FromSeconds(30));
    }

    public IDocumentStore Store => Services.GetRequiredService<IDocumentStore>();

    public string TokenFor(string user, TimeSpan? validFor = null, DateTime? now = null) =>
        Services.GetRequiredService<DevTokenIssuer>().Issue(DevTokenIssuer.Users.Single(u => u.Id == user), validFor, now);

    public HttpClient ClientFor(string user)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(user));
        return client;
    }

    /// <summary>Blobs in the content store (staging excluded).</summary>
    public string[] StoredBlobs() =>
        System.IO.Directory.Exists(ContentRoot)
            ? [.. System.IO.Directory.GetFiles(ContentRoot, "*", System.IO.SearchOption.AllDirectories).Where(p => !p.Contains("/staging/", StringComparison.Ordinal))]
            : [];

    public string[] StagingFiles() =>
        System.IO.Directory.Exists(System.IO.Path.Combine(ContentRoot, "staging"))
            ? System.IO.Directory.GetFiles(System.IO.Path.Combine(ContentRoot, "staging"))
            : [];

    /// <summary>Waits until the durable queues are empty: no OCR, text or rendition job is running or waiting.</summary>
    public async Task WaitForJobsAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (await ExecuteSqlScalarAsync<long>("select count(*) from {schema}.wolverine_incoming_envelopes where status <> 'Handled'") > 0)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("background jobs did not finish");
            await Task.Delay(100);
        }
    }

    public async Task<long> EventCountAsync()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    public async Task<T> ExecuteSqlScalarAsync<T>(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql.Replace("{schema}", Schema, StringComparison.Ordinal), conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}

public static class HttpExtensions
{
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} {response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, ECaseApp.Json)!;
    }

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement;
    }

    public static string Code(this JsonElement problem) => problem.GetProperty("code").GetString()!;

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, ECaseApp.Json);
}
