using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Projections.Audit;
using ECase.Projections.Search;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ECase.Application.Search;

/// <summary>
/// GET /api/search: full-text search over files, cases and documents the caller may see (clerks: their org unit;
/// registrars: every org unit; both up to their clearance). Closed files are left out unless status=closed or all.
/// Every search is logged (who, what, how many hits).
/// </summary>
public static class SearchEndpoint
{
    private static readonly string[] Types = ["file", "case", "document", "scan"];
    private static readonly string[] Statuses = ["open", "closed", "all"];

    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/search", HandleAsync).RequireAuthorization(Policies.FileWorkers).WithName("Search").WithTags("Search")
            .WithSummary("Full-text search with facets and snippets")
            .WithDescription("""
                q: words (AND), "a phrase", prefix*, reference numbers like HA-32.10.05-0007/2026 or 32.10.05, field:word
                (title, ref, meta, plan, text), OR/NOT/(). sort: relevance (default), date, date-asc. Filters: planUnit,
                year, type (file, case, document, scan), status (open (default), closed, all). Facet counts cover only what
                the caller may see.
                """);

    private static async Task<SearchResult> HandleAsync(
        ClaimsPrincipal principal, SearchIndexHost search, IDocumentSession session, TimeProvider clock, CancellationToken ct,
        string? q = null, int page = 1, int pageSize = 20, string? sort = null, string? planUnit = null, string? year = null,
        string? type = null, string? status = null)
    {
        var user = CurrentUser.From(principal);
        var order = sort?.ToLowerInvariant() switch
        {
            null or "" or "relevance" => SearchSort.Relevance,
            "date" => SearchSort.Date,
            "date-asc" => SearchSort.DateAscending,
            _ => throw RequestInvalidException.Field("sort", "sort is relevance, date or date-asc."),
        };
        if (page < 1) throw RequestInvalidException.Field("page", "page starts at 1.");
        if (pageSize is < 1 or > SearchService.MaxPageSize) throw RequestInvalidException.Field("pageSize", $"pageSize is 1 to {SearchService.MaxPageSize}.");
        if (type is not null && !Types.Contains(type)) throw RequestInvalidException.Field("type", $"type is one of {string.Join(", ", Types)}.");
        if (status is not null && !Statuses.Contains(status)) throw RequestInvalidException.Field("status", $"status is one of {string.Join(", ", Statuses)}.");

        var request = new SearchRequest(q, ScopeOf(user), page, pageSize, order, planUnit, year, type, status ?? "open");
        SearchResult result;
        try
        {
            result = await search.SearchAsync(request, ct);
        }
        catch (SearchQueryException e)
        {
            throw new RequestInvalidException("search-query-invalid", e.Message);
        }

        var filters = string.Join("&", new[] { ("sort", sort), ("planUnit", planUnit), ("year", year), ("type", type), ("status", status), ("page", page == 1 ? null : page.ToString(System.Globalization.CultureInfo.InvariantCulture)) }
            .Where(f => !string.IsNullOrEmpty(f.Item2)).Select(f => $"{f.Item1}={f.Item2}"));
        session.Insert(new SearchLogEntry(
            Guid.CreateVersion7(), clock.GetUtcNow(), user.Id, user.Role, user.OrgUnit, q ?? "", filters.Length == 0 ? null : filters, result.Total));
        await session.SaveChangesAsync(ct);
        return result;
    }

    /// <summary>What the caller may find: the same rule as <see cref="Access.CanSeeFile"/>, as a filter inside the query.</summary>
    public static SearchScope ScopeOf(CurrentUser user) => user.Role switch
    {
        Roles.Registrar => new SearchScope(null, user.Clearance),
        Roles.Clerk => new SearchScope([user.OrgUnit], user.Clearance),
        _ => new SearchScope([], user.Clearance),
    };
}
