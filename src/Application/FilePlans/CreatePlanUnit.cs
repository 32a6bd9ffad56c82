using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.FilePlans;
using ECase.Projections.FilePlans;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wolverine;

namespace ECase.Application.FilePlans;

public sealed record CreatePlanUnitRequest(string? Code, string? Title, int? RetentionYears, DisposalProposal? Disposal);

/// <summary>A registrar adds a unit (Aktenplaneinheit) to the file plan.</summary>
public sealed record CreatePlanUnit(Guid UnitId, string Code, string Title, int RetentionYears, DisposalProposal Disposal, CurrentUser User);

public static class CreatePlanUnitEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/file-plan", async (CreatePlanUnitRequest body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
        {
            var cmd = new CreatePlanUnit(
                Guid.CreateVersion7(), body.Code?.Trim() ?? "", body.Title ?? "", body.RetentionYears ?? 10,
                body.Disposal ?? DisposalProposal.Appraise, CurrentUser.From(principal));
            var result = await bus.InvokeAsync<CommandResult>(cmd, ct);
            return TypedResults.Created($"/api/file-plan/{cmd.Code}", result);
        }).RequireAuthorization(Policies.Registrar).WithName("CreatePlanUnit").WithTags("File plan");
}

public static class CreatePlanUnitHandler
{
    public static async Task<CommandResult> Handle(CreatePlanUnit cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var taken = await session.Query<FilePlanUnitView>().AnyAsync(u => u.Code == cmd.Code, ct);
        var decision = FilePlanDecider.Decide(
            null, new FilePlanCommand.CreateUnit(cmd.UnitId, cmd.Code, cmd.Title, cmd.RetentionYears, cmd.Disposal, taken), clock.ContextFor(cmd.User));
        var events = decision.EventsOrThrow();
        session.Events.StartStream<FilePlanUnit>(cmd.UnitId, events);
        return new CommandResult(cmd.UnitId, events.Count);
    }
}
