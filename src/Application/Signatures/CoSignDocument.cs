using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.Signatures;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wolverine;

namespace ECase.Application.Signatures;

/// <summary>Mitzeichnen: a requested clerk co-signs the latest version of a document.</summary>
public sealed record CoSignDocument(Guid CaseId, Guid DocumentId, int DocumentVersion, string? Comment, long? ExpectedVersion, CurrentUser User);

/// <summary><c>POST /api/cases/{caseId}/documents/{documentId}/co-sign</c></summary>
public static class CoSignDocumentEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/cases/{caseId:guid}/documents/{documentId:guid}/co-sign", async (
                Guid caseId, Guid documentId, SignOffRequest body, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
                CommandResults.Ok(await bus.InvokeAsync<CommandResult>(new CoSignDocument(
                    caseId, documentId, body.DocumentVersion, body.Comment, ExpectedVersion.From(request, body.Version), CurrentUser.From(principal)), ct)))
            .RequireAuthorization(Policies.FileWorkers).WithName("CoSignDocument").WithTags("Signatures");
}

public static class CoSignDocumentHandler
{
    public static Task<CommandResult> Handle(CoSignDocument cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        SignatureWrites.DecideAsync(session, cmd.CaseId, cmd.ExpectedVersion, cmd.User,
            new SignatureCommand.CoSign(cmd.DocumentId, cmd.DocumentVersion, cmd.Comment), clock, ct);
}
