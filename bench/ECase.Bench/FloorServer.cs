using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using ECase.Application.Content;
using ECase.Infrastructure.Content;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using NpgsqlTypes;

namespace ECase.Bench;

/// <summary>
/// The <c>floor</c> phase's server (ADR 0026): the least any implementation of the append mix must do over HTTP, with the
/// API's endpoints and status codes but none of ECase's model. A request is authenticated with an HMAC-signed JWT as in
/// the API and authorised by role; an upload goes through the product's own multipart reader and content store (streamed,
/// hashed, fsynced, renamed, directory fsynced: issue 2, item 4); then each command commits exactly one event row, whose
/// (stream, version) key is the optimistic concurrency check. No aggregate is loaded, no read model, audit entry, search
/// document or integrity link is written, no Marten or Wolverine runs. Started by the benchmark as
/// <c>ECase.Bench.dll append-floor-server</c> with its settings in the environment (<see cref="FloorPhase"/>).
/// </summary>
public static class FloorServer
{
    public const string Command = "append-floor-server";
    public const string Issuer = "ecase-floor", Audience = "ecase";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var schema = Required(builder.Configuration, "Floor:Schema");
        var connectionString = Required(builder.Configuration, "Floor:ConnectionString");
        var key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ContentStoreOptions>(o => o.Root = Required(builder.Configuration, "Floor:ContentRoot"));
        builder.Services.AddSingleton<IContentStore, FileSystemContentStore>();
        // The API's connection settings (ADR 0015): statements prepared after two uses, no reset round trip per return.
        builder.Services.AddSingleton(NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxAutoPrepare = 64, AutoPrepareMinUsages = 2, NoResetOnClose = true,
        }.ConnectionString));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer, ValidAudience = Audience, IssuerSigningKey = key, ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ClockSkew = TimeSpan.Zero, RequireExpirationTime = true, RoleClaimType = "role", NameClaimType = "name",
            };
        });
        builder.Services.AddAuthorizationBuilder().AddPolicy("clerk", p => p.RequireRole("clerk", "registrar"));

        var app = builder.Build();
        var data = app.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var create = data.CreateCommand(
            $"CREATE SCHEMA IF NOT EXISTS {schema}; CREATE TABLE IF NOT EXISTS {schema}.events (stream_id uuid NOT NULL, version integer NOT NULL, " +
            "type text NOT NULL, data jsonb NOT NULL, timestamp timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (stream_id, version))"))
            await create.ExecuteNonQueryAsync();

        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/health/ready", () => Results.Ok());
        app.MapGet("/api/dev/tokens/{user}", (string user) => Results.Ok(new { accessToken = Token(key, user) }));

        var events = new EventRows(data, schema);
        var api = app.MapGroup("/api").RequireAuthorization("clerk");
        api.MapPost("/file-plan", (JsonElement body) => Results.Created("/api/file-plan", new { code = body.GetProperty("code").GetString() }));
        api.MapPost("/files", async (JsonElement body, CancellationToken ct) =>
            await events.AppendAsync(Guid.CreateVersion7(), "FileOpened", body, HttpStatusCode.Created, ct));
        api.MapPost("/files/{fileId:guid}/cases", async (Guid fileId, JsonElement body, CancellationToken ct) =>
            await events.AppendAsync(Guid.CreateVersion7(), "CaseOpened", new { fileId, title = body.GetProperty("title").GetString() }, HttpStatusCode.Created, ct));
        api.MapPost("/cases/{caseId:guid}/close", async (Guid caseId, CancellationToken ct) =>
            await events.AppendAsync(caseId, "CaseClosed", new { caseId }, HttpStatusCode.OK, ct));
        api.MapPost("/cases/{caseId:guid}/submissions", async (Guid caseId, HttpRequest request, IContentStore store, IOptions<ContentStoreOptions> limits, CancellationToken ct) =>
        {
            using var upload = await Upload.ReadAsync(request, store, limits.Value.MaxUploadBytes, ct);
            await upload.PromoteAsync(ct);
            try
            {
                return await events.AppendAsync(caseId, "SubmissionRegistered", new
                {
                    subject = upload.Field("subject"), channel = upload.Field("channel"), sender = upload.Field("senderName"),
                    documents = upload.Files.Select(f => f.ToContentRef()).ToList(),
                }, HttpStatusCode.Created, ct);
            }
            catch
            {
                upload.RollBack();
                throw;
            }
        });

        await app.RunAsync();
        return 0;
    }

    private static string Token(SymmetricSecurityKey key, string user) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Expires = DateTime.UtcNow.AddHours(8),
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        Subject = new ClaimsIdentity([new Claim("sub", user), new Claim("name", user), new Claim("role", user.StartsWith("clerk", StringComparison.Ordinal) ? "clerk" : user)]),
    });

    private static string Required(IConfiguration configuration, string key) =>
        configuration[key] is { Length: > 0 } v ? v : throw new InvalidOperationException($"{key} is not set.");

    /// <summary>One event row per command; the next version is taken in the same statement, and the key rejects a race.</summary>
    private sealed class EventRows(NpgsqlDataSource data, string schema)
    {
        private readonly string _insert =
            $"INSERT INTO {schema}.events (stream_id, version, type, data) " +
            $"SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM {schema}.events WHERE stream_id = $1 RETURNING version";

        public async Task<IResult> AppendAsync<T>(Guid stream, string type, T body, HttpStatusCode status, CancellationToken ct)
        {
            await using var command = data.CreateCommand(_insert);
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = stream });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type });
            command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Jsonb, TypedValue = JsonSerializer.Serialize(body) });
            try
            {
                var version = (int)(await command.ExecuteScalarAsync(ct))!;
                var result = new { id = stream, version };
                return status == HttpStatusCode.Created ? Results.Created($"/api/streams/{stream}", result) : Results.Ok(result);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                return Results.Problem(statusCode: 409, title: "A concurrent command changed the stream.");
            }
        }
    }
}
