using System.Security.Claims;
using ECase.Application.Audit;
using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Application.Submissions;
using ECase.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ECase.Application.Cases;

public sealed record CaseView(CaseDetails Case, IReadOnlyDictionary<Guid, Sender> Senders);

/// <summary>Reading a case with its submissions and documents; senders are personal data, so every read is logged.</summary>
public static class CaseQueries
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/cases/{caseId:guid}", GetAsync).RequireAuthorization(Policies.FileWorkers).WithName("GetCase").WithTags("Cases");
        api.MapGet("/cases/{caseId:guid}/documents", DocumentsAsync).RequireAuthorization(Policies.FileWorkers).WithName("ListCaseDocuments").WithTags("Documents");
    }

    public static async Task<CaseDetails> LoadVisibleAsync(IQuerySession session, Guid caseId, CurrentUser user, CancellationToken ct)
    {
        var details = await session.LoadAsync<CaseDetails>(caseId, ct) ?? throw new NotFoundException("case");
        await CaseWrites.EnsureCanSeeAsync(session, details.FileId, user, ct);
        return details;
    }

    private static async Task<IResult> GetAsync(
        Guid caseId, ClaimsPrincipal principal, IDocumentSession session, TimeProvider clock, HttpResponse response, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        var details = await LoadVisibleAsync(session, caseId, user, ct);
        var senderIds = details.Submissions.Select(s => s.SenderId).OfType<Guid>().Distinct().ToArray();
        var senders = senderIds.Length == 0 ? [] : await session.LoadManyAsync<Sender>(ct, senderIds);
        await AccessLog.RecordAsync(session, clock, user, AccessLog.ReadCase, details.FileId, ct, caseId);
        response.Headers.ETag = ExpectedVersion.ETag(details.Version);
        return TypedResults.Ok(new CaseView(details, senders.ToDictionary(s => s.Id)));
    }

    private static async Task<IReadOnlyList<DocumentView>> DocumentsAsync(Guid caseId, ClaimsPrincipal principal, IQuerySession session, CancellationToken ct) =>
        (await LoadVisibleAsync(session, caseId, CurrentUser.From(principal), ct)).Documents;
}
