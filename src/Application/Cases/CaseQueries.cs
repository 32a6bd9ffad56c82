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

    /// <summary>The case and, in the same round trip, its file for the access check.</summary>
    public static async Task<CaseDetails> LoadVisibleAsync(IQuerySession session, Guid caseId, CurrentUser user, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var detailsTask = batch.Load<CaseDetails>(caseId);
        var fileTask = CaseWrites.FileOfCase(batch, session, caseId);
        await batch.Execute(ct);
        var details = await detailsTask ?? throw new NotFoundException("case");
        CaseWrites.EnsureCanSee((await fileTask).SingleOrDefault(), user);
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
