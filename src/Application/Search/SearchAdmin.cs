using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Projections.Audit;
using ECase.Projections.Search;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ECase.Application.Search;

/// <summary>
/// Index administration for registrars: its status (position, lag, documents, rebuild progress), and a rebuild from
/// the events into a fresh folder that is swapped in without downtime. Auditors read the search log.
/// </summary>
public static class SearchAdmin
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/admin/search", StatusAsync).RequireAuthorization(Policies.Registrar).WithName("GetSearchIndexStatus").WithTags("Search");
        api.MapPost("/admin/search/rebuild", Rebuild).RequireAuthorization(Policies.Registrar).WithName("RebuildSearchIndex").WithTags("Search")
            .WithSummary("Rebuild the search index from the events (runs in the background; watch GET /api/admin/search)");
        api.MapGet("/audit/searches", SearchLogAsync).RequireAuthorization(p => p.RequireRole(Roles.Auditor)).WithName("GetSearchLog").WithTags("Audit");
    }

    private static Task<SearchIndexStatus> StatusAsync(SearchIndexHost search, CancellationToken ct) => search.StatusAsync(ct);

    private static Accepted<RebuildProgress> Rebuild(SearchIndexHost search, IHostApplicationLifetime lifetime, ILoggerFactory logs)
    {
        // Runs synchronously up to its first wait, so a second request sees the first one running.
        var rebuild = search.RebuildAsync(lifetime.ApplicationStopping);
        if (rebuild.IsFaulted && rebuild.Exception?.InnerException is RebuildAlreadyRunningException running)
        {
            throw new RequestInvalidException("search-rebuild-running", running.Message, status: 409);
        }

        var log = logs.CreateLogger(typeof(SearchAdmin));
        _ = rebuild.ContinueWith(
            t => log.LogError(t.Exception, "Search index rebuild failed"), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return TypedResults.Accepted("/api/admin/search", search.Rebuild);
    }

    private static async Task<IReadOnlyList<SearchLogEntry>> SearchLogAsync(
        IQuerySession session, CancellationToken ct, string? userId = null, DateTimeOffset? from = null, int limit = 100)
    {
        if (limit is < 1 or > 1000) throw RequestInvalidException.Field("limit", "limit is 1 to 1000.");
        var query = session.Query<SearchLogEntry>().AsQueryable();
        if (userId is not null) query = query.Where(e => e.UserId == userId);
        if (from is { } f) query = query.Where(e => e.At >= f);
        return await query.OrderByDescending(e => e.At).Take(limit).ToListAsync(ct);
    }
}
