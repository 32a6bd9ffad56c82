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

/// <summary>Mitzeichnung verweigern: a requested clerk declines to co-sign, saying why.</summary>
public sealed record DeclineCoSign(Guid CaseId, Guid DocumentId, int DocumentVersion, string? Comment, long? ExpectedVersion, CurrentUser User);

/// <summary><c>POST /api/cases/{caseId}/documents/{documentId}/co-sign/decline</c></summary>
public static class DeclineCoSignEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/cases/{caseId:guid}/documents/{documentId:guid}/co-sign/decline", async (
                Guid caseId, Guid documentId, SignOffRequest body, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
                CommandResults.Ok(await bus.InvokeAsync<CommandResult>(new DeclineCoSign(
                    caseId, documentId, body.DocumentVersion, body.Comment, ExpectedVersion.From(request, body.Version), CurrentUser.From(principal)), ct)))
            .RequireAuthorization(Policies.FileWorkers).WithName("DeclineCoSign").WithTags("Signatures");
}

public static class DeclineCoSignHandler
{
    public static Task<CommandResult> Handle(DeclineCoSign cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        SignatureWrites.DecideAsync(session, cmd.CaseId, cmd.ExpectedVersion, cmd.User,
            new SignatureCommand.DeclineCoSign(cmd.DocumentId, cmd.DocumentVersion, cmd.Comment), clock, ct);
}
