using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.Files;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wolverine;

namespace ECase.Application.Files;

public sealed record ReopenFileRequest(string? Reason, long? Version);

/// <summary>A closed file is taken up again, with a reason.</summary>
public sealed record ReopenFile(Guid FileId, string Reason, long? ExpectedVersion, CurrentUser User);

public static class ReopenFileEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/files/{fileId:guid}/reopen", async (Guid fileId, ReopenFileRequest body, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
        {
            var cmd = new ReopenFile(fileId, body.Reason ?? "", ExpectedVersion.From(request, body.Version), CurrentUser.From(principal));
            return CommandResults.Ok(await bus.InvokeAsync<CommandResult>(cmd, ct));
        }).RequireAuthorization(Policies.FileWorkers).WithName("ReopenFile").WithTags("Files");
}

public static class ReopenFileHandler
{
    public static async Task<CommandResult> Handle(ReopenFile cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await FileWrites.LoadAsync(session, cmd.FileId, cmd.ExpectedVersion, cmd.User, ct);
        return FileWrites.Append(stream, FileDecider.Decide(stream.Aggregate, new FileCommand.Reopen(cmd.Reason), clock.ContextFor(cmd.User)));
    }
}
