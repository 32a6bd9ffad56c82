using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Files;
using ECase.Application.Security;
using ECase.Domain.Cases;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wolverine;

namespace ECase.Application.Cases;

/// <summary>A case is closed; its file records that it has one open case less.</summary>
public sealed record CloseCase(Guid CaseId, long? ExpectedVersion, CurrentUser User);

public static class CloseCaseEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/cases/{caseId:guid}/close", async (Guid caseId, VersionRequest? body, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
        {
            var cmd = new CloseCase(caseId, ExpectedVersion.From(request, body?.Version), CurrentUser.From(principal));
            return CommandResults.Ok(await bus.InvokeAsync<CommandResult>(cmd, ct));
        }).RequireAuthorization(Policies.FileWorkers).WithName("CloseCase").WithTags("Cases");
}

public static class CloseCaseHandler
{
    public static async Task<CommandResult> Handle(CloseCase cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await CaseWrites.LoadAsync(session, cmd.CaseId, cmd.ExpectedVersion, cmd.User, ct);
        var events = CaseDecider.Decide(stream.Aggregate, new CaseCommand.Close(), clock.ContextFor(cmd.User)).EventsOrThrow();
        stream.AppendMany(events);
        // The file only takes this case off its open cases: that commutes with every other file event (the file cannot
        // be closed while this case is open), so it is appended without folding the file stream or naming its version
        // (ADR 0015); a simultaneous append to the file still fails on the (stream, version) key and is retried. The file's
        // overview is already in the session (CaseWrites.LoadAsync) for the inline projection.
        session.Events.Append(stream.Aggregate!.FileId, events.Select(CaseDecider.ForFile));
        return new CommandResult(stream.Id, (stream.StartingVersion ?? 0) + events.Count);
    }
}
