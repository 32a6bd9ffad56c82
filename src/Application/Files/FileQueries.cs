using System.Security.Claims;
using ECase.Application.Audit;
using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.Cases;
using ECase.Domain.Files;
using ECase.Projections.Cases;
using ECase.Projections.Files;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ECase.Application.Files;

public sealed record CaseSummary(Guid Id, string Title, CaseStatus Status, DateTimeOffset OpenedAt, int DocumentCount);

public sealed record FileView(FileOverview File, IReadOnlyList<CaseSummary> Cases);

public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

/// <summary>Clerks list and read the files they may see; every read of a file is logged.</summary>
public static class FileQueries
{
    public const int MaxPageSize = 200;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/files", ListAsync).RequireAuthorization(Policies.FileWorkers).WithName("ListFiles").WithTags("Files");
        api.MapGet("/files/{fileId:guid}", GetAsync).RequireAuthorization(Policies.FileWorkers).WithName("GetFile").WithTags("Files");
    }

    private static async Task<Paged<FileOverview>> ListAsync(
        ClaimsPrincipal principal, IQuerySession session, CancellationToken ct,
        string? reference = null, FileStatus? status = null, int page = 1, int pageSize = 50)
    {
        if (page < 1) throw RequestInvalidException.Field("page", "page starts at 1.");
        if (pageSize is < 1 or > MaxPageSize) throw RequestInvalidException.Field("pageSize", $"pageSize is 1 to {MaxPageSize}.");
        var user = CurrentUser.From(principal);
        // Enums are stored as strings: "up to the clearance" is the set of levels, not a string comparison.
        var levels = Enum.GetValues<Domain.Common.Confidentiality>().Where(c => c <= user.Clearance).ToArray();
        var query = session.Query<FileOverview>().Where(f => levels.Contains(f.Confidentiality));
        if (user.Role != Roles.Registrar) query = query.Where(f => f.OrgUnit == user.OrgUnit);
        if (reference is not null) query = query.Where(f => f.Reference == reference);
        if (status is { } s) query = query.Where(f => f.Status == s);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(f => f.OpenedAt).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new Paged<FileOverview>(items, page, pageSize, total);
    }

    private static async Task<IResult> GetAsync(
        Guid fileId, ClaimsPrincipal principal, IDocumentSession session, TimeProvider clock, HttpResponse response, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        var file = await session.LoadAsync<FileOverview>(fileId, ct) ?? throw new NotFoundException("file");
        Access.EnsureCanSeeFile(user, file.OrgUnit, file.Confidentiality);
        var cases = await session.Query<CaseDetails>().Where(c => c.FileId == fileId).OrderBy(c => c.OpenedAt).ToListAsync(ct);
        await AccessLog.RecordAsync(session, clock, user, AccessLog.ReadFile, fileId, ct);
        response.Headers.ETag = ExpectedVersion.ETag(file.Version);
        return TypedResults.Ok(new FileView(file, [.. cases.Select(c => new CaseSummary(c.Id, c.Title, c.Status, c.OpenedAt, c.Documents.Count))]));
    }
}
