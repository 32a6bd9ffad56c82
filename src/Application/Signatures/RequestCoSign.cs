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

/// <summary>Mitzeichnung anfordern: ask named clerks (user ids) to co-sign the latest version of a document.</summary>
public sealed record RequestCoSign(Guid CaseId, Guid DocumentId, int DocumentVersion, IReadOnlyList<string> CoSigners, long? ExpectedVersion, CurrentUser User);

public sealed record RequestCoSignBody(int DocumentVersion, IReadOnlyList<string>? CoSigners, long? Version);

/// <summary><c>POST /api/cases/{caseId}/documents/{documentId}/co-sign-requests</c></summary>
public static class RequestCoSignEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/cases/{caseId:guid}/documents/{documentId:guid}/co-sign-requests", async (
                Guid caseId, Guid documentId, RequestCoSignBody body, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
                CommandResults.Ok(await bus.InvokeAsync<CommandResult>(new RequestCoSign(
                    caseId, documentId, body.DocumentVersion, body.CoSigners ?? [], ExpectedVersion.From(request, body.Version), CurrentUser.From(principal)), ct)))
            .RequireAuthorization(Policies.FileWorkers).WithName("RequestCoSign").WithTags("Signatures");
}

public static class RequestCoSignHandler
{
    public static Task<CommandResult> Handle(RequestCoSign cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        SignatureWrites.DecideAsync(session, cmd.CaseId, cmd.ExpectedVersion, cmd.User,
            new SignatureCommand.RequestCoSign(cmd.DocumentId, cmd.DocumentVersion, cmd.CoSigners), clock, ct);
}
