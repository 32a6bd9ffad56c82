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

public sealed record OpenCaseRequest(string? Title, long? Version);

/// <summary>A clerk opens a case (Vorgang) in an open file; the file records it in the same transaction.</summary>
public sealed record OpenCase(Guid FileId, Guid CaseId, string Title, long? ExpectedFileVersion, CurrentUser User);

public static class OpenCaseEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/files/{fileId:guid}/cases", async (Guid fileId, OpenCaseRequest body, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
        {
            var cmd = new OpenCase(fileId, Guid.CreateVersion7(), body.Title ?? "", ExpectedVersion.From(request, body.Version), CurrentUser.From(principal));
            var result = await bus.InvokeAsync<CommandResult>(cmd, ct);
            return TypedResults.Created($"/api/cases/{result.Id}", result);
        }).RequireAuthorization(Policies.FileWorkers).WithName("OpenCase").WithTags("Cases");
}

public static class OpenCaseHandler
{
    public static async Task<CommandResult> Handle(OpenCase cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var file = await FileWrites.LoadAsync(session, cmd.FileId, cmd.ExpectedFileVersion, cmd.User, ct);
        var events = CaseDecider.Decide(null, new CaseCommand.Open(cmd.CaseId, file.Aggregate, cmd.Title), clock.ContextFor(cmd.User)).EventsOrThrow();
        session.Events.StartStream<Case>(cmd.CaseId, events);
        file.AppendMany(events.Select(CaseDecider.ForFile));
        return new CommandResult(cmd.CaseId, events.Count);
    }
}
