using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.Cases;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wolverine;

namespace ECase.Application.Cases;

public sealed record RenameCaseRequest(string? Title, long? Version);

public sealed record RenameCase(Guid CaseId, string Title, long? ExpectedVersion, CurrentUser User);

public static class RenameCaseEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/cases/{caseId:guid}/rename", async (Guid caseId, RenameCaseRequest body, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
        {
            var cmd = new RenameCase(caseId, body.Title ?? "", ExpectedVersion.From(request, body.Version), CurrentUser.From(principal));
            return CommandResults.Ok(await bus.InvokeAsync<CommandResult>(cmd, ct));
        }).RequireAuthorization(Policies.FileWorkers).WithName("RenameCase").WithTags("Cases");
}

public static class RenameCaseHandler
{
    public static async Task<CommandResult> Handle(RenameCase cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await CaseWrites.LoadAsync(session, cmd.CaseId, cmd.ExpectedVersion, cmd.User, ct);
        return CaseWrites.Append(stream, CaseDecider.Decide(stream.Aggregate, new CaseCommand.Rename(cmd.Title), clock.ContextFor(cmd.User)));
    }
}
