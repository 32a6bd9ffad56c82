using System.Security.Claims;
using ECase.Application.Audit;
using ECase.Application.Cases;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Security;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace ECase.Application.Documents;

/// <summary>Downloads one document version's bytes, verified against their hash on the way out; the read is logged first.</summary>
public static class GetDocumentContent
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/cases/{caseId:guid}/documents/{documentId:guid}/versions/{version:int}/content", HandleAsync)
            .RequireAuthorization(Policies.FileWorkers).WithName("GetDocumentContent").WithTags("Documents");

    private static async Task<IResult> HandleAsync(
        Guid caseId, Guid documentId, int version, ClaimsPrincipal principal, IDocumentSession session, IContentStore store,
        TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        var details = await CaseQueries.LoadVisibleAsync(session, caseId, user, ct);
        var v = details.Documents.FirstOrDefault(d => d.Id == documentId)?.Versions.FirstOrDefault(x => x.Number == version)
            ?? throw new NotFoundException("document version");
        if (!store.Exists(v.Sha256) && await session.LoadAsync<Projections.Files.FileOverview>(details.FileId, ct) is { Disposition: { } disposition } file)
            throw new RequestInvalidException(
                "content-destroyed", $"The file was {(disposition == Domain.Files.Disposition.Transferred ? "transferred to the archive" : "destroyed")} on {file.DestroyedAt:yyyy-MM-dd}; its content is gone, its metadata stays.",
                status: StatusCodes.Status410Gone);
        var content = store.OpenRead(v.Sha256);
        await AccessLog.RecordAsync(session, clock, user, AccessLog.ReadDocumentContent, details.FileId, ct, caseId, documentId, version);
        return TypedResults.Stream(content, v.MediaType, v.FileName, entityTag: new EntityTagHeaderValue($"\"{v.Sha256}\""));
    }
}
