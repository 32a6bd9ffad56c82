using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.Files;
using ECase.Projections.FilePlans;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wolverine;

namespace ECase.Application.Files;

public sealed record VersionRequest(long? Version);

/// <summary>zdA-Verfügung: the file is closed; refused while any of its cases is open.</summary>
public sealed record CloseFile(Guid FileId, long? ExpectedVersion, CurrentUser User);

public static class CloseFileEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/files/{fileId:guid}/close", async (Guid fileId, VersionRequest? body, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
        {
            var cmd = new CloseFile(fileId, ExpectedVersion.From(request, body?.Version), CurrentUser.From(principal));
            return CommandResults.Ok(await bus.InvokeAsync<CommandResult>(cmd, ct));
        }).RequireAuthorization(Policies.FileWorkers).WithName("CloseFile").WithTags("Files");
}

public static class CloseFileHandler
{
    public static async Task<CommandResult> Handle(CloseFile cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await FileWrites.LoadAsync(session, cmd.FileId, cmd.ExpectedVersion, cmd.User, ct);
        // The plan unit's retention as valid now is fixed in the FileClosed event (issue #6).
        var plan = await session.LoadAsync<FilePlanUnitView>(stream.Aggregate!.PlanUnitId, ct);
        var retention = plan is null ? null : new PlanRetention(plan.RetentionYears, plan.Disposal);
        return FileWrites.Append(stream, FileDecider.Decide(stream.Aggregate, new FileCommand.Close(retention), clock.ContextFor(cmd.User)));
    }
}
