using System.Text.Json.Serialization;
using ECase.Api.Auth;
using ECase.Api.Demo;
using ECase.Api.Health;
using ECase.Api.Portal;
using ECase.Api.Problems;
using ECase.Application;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Infrastructure;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

if (!string.Equals(builder.Configuration["Logging:Format"], "simple", StringComparison.OrdinalIgnoreCase))
    builder.Logging.ClearProviders().AddJsonConsole(o => o.IncludeScopes = true);

var maxUpload = builder.Configuration.GetValue<long?>($"{ContentStoreOptions.Section}:{nameof(ContentStoreOptions.MaxUploadBytes)}")
    ?? new ContentStoreOptions().MaxUploadBytes;
// The body may carry form fields and part headers around the files; the file bytes themselves are capped while streaming.
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = maxUpload + (1024 * 1024));

builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ExceptionMapping>();
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgresql", tags: ["ready"]);
var devTokens = builder.AddECaseAuth();

builder.AddECaseCore();

var app = builder.Build();

// Maintenance commands run against the configured database and folders without starting the server.
if (args is ["search", ..]) return await ECase.Api.Cli.SearchCli.RunAsync(app.Services, args, CancellationToken.None);
if (args is ["export", ..]) return await ECase.Api.Cli.ExportCli.RunAsync(app.Services, args, CancellationToken.None);
if (args is ["verify", .. var verifyArgs]) return await ECase.Infrastructure.Integrity.IntegrityCli.RunAsync(app.Services, verifyArgs, Console.Out);

// `codegen write|preview|test`: Wolverine's handler code, pre-generated into src/Infrastructure (see ./ecase.sh codegen).
if (args is ["codegen", ..]) return await app.RunJasperFxCommands(args);

app.UseExceptionHandler();
app.UseStatusCodePages(ctx => StatusProblems.WriteAsync(ctx.HttpContext));
app.UseAuthentication();
app.UseAuthorization();

app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference().AllowAnonymous();
app.MapPortal();
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();

var api = app.MapGroup("/api");
api.AddEndpointFilter(async (ctx, next) =>
{
    var result = await next(ctx);
    if (result is IValueHttpResult { Value: CommandResult c }) ctx.HttpContext.Response.Headers.ETag = ExpectedVersion.ETag(c.Version);
    return result;
});
api.MapECaseUseCases();
if (devTokens is not null) api.MapDevTokens(devTokens);

await app.StartAsync();
if (app.Configuration.GetValue<bool>("Demo:Seed"))
    await DemoData.SeedAsync(app.Services, app.Logger, app.Lifetime.ApplicationStopping);
var url = app.Urls.FirstOrDefault() ?? "http://127.0.0.1:5080";
app.Logger.LogInformation("ECase is listening on {Url}; API reference at {Url}/scalar/v1, OpenAPI at {Url}/openapi/v1.json{Tokens}",
    url, url, url, devTokens is null ? "" : $", development tokens at {url}/api/dev/tokens/clerk-ha");
await app.WaitForShutdownAsync();
return 0;

/// <summary>Entry point; public so the integration tests can host it.</summary>
public partial class Program;
