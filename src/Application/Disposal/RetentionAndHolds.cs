using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Files;
using ECase.Application.Security;
using ECase.Domain.Files;
using ECase.Projections.FilePlans;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wolverine;

namespace ECase.Application.Disposal;

public sealed record RetentionRequest(int? Years, DateOnly? EndsOn, string? Reason);

public sealed record HoldRequest(string? Reason);

public sealed record HoldPlaced(Guid FileId, Guid HoldId, long Version);

/// <summary>Registrar: the file's own retention rule instead of its plan unit's.</summary>
public sealed record OverrideRetention(Guid FileId, int? Years, DateOnly? EndsOn, string Reason, CurrentUser User);

/// <summary>Registrar: a legal hold (Rechtsstand) that keeps the file from being offered or destroyed.</summary>
public sealed record PlaceLegalHold(Guid FileId, Guid HoldId, string Reason, CurrentUser User);

public sealed record LiftLegalHold(Guid FileId, Guid HoldId, string Reason, CurrentUser User);

public static class RetentionEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPut("/files/{fileId:guid}/retention", async (Guid fileId, RetentionRequest body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
                CommandResults.Ok(await bus.InvokeAsync<CommandResult>(
                    new OverrideRetention(fileId, body.Years, body.EndsOn, body.Reason ?? "", CurrentUser.From(principal)), ct)))
            .RequireAuthorization(Policies.Registrar).WithName("OverrideRetention").WithTags("Disposal");
        api.MapPost("/files/{fileId:guid}/legal-holds", async (Guid fileId, HoldRequest body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
            {
                var result = await bus.InvokeAsync<HoldPlaced>(new PlaceLegalHold(fileId, Guid.CreateVersion7(), body.Reason ?? "", CurrentUser.From(principal)), ct);
                return TypedResults.Created($"/api/files/{fileId}/legal-holds/{result.HoldId}", result);
            })
            .RequireAuthorization(Policies.Registrar).WithName("PlaceLegalHold").WithTags("Disposal");
        api.MapPost("/files/{fileId:guid}/legal-holds/{holdId:guid}/lift", async (Guid fileId, Guid holdId, HoldRequest body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
                CommandResults.Ok(await bus.InvokeAsync<CommandResult>(new LiftLegalHold(fileId, holdId, body.Reason ?? "", CurrentUser.From(principal)), ct)))
            .RequireAuthorization(Policies.Registrar).WithName("LiftLegalHold").WithTags("Disposal");
    }
}

public static class OverrideRetentionHandler
{
    public static async Task<CommandResult> Handle(OverrideRetention cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await FileWrites.LoadAsync(session, cmd.FileId, null, cmd.User, ct);
        var plan = await session.LoadAsync<FilePlanUnitView>(stream.Aggregate!.PlanUnitId, ct);
        return FileWrites.Append(stream, FileDecider.Decide(
            stream.Aggregate, new FileCommand.OverrideRetention(cmd.Years, cmd.EndsOn, cmd.Reason, plan is null ? null : new PlanRetention(plan.RetentionYears, plan.Disposal)),
            clock.ContextFor(cmd.User)));
    }
}

public static class PlaceLegalHoldHandler
{
    public static async Task<HoldPlaced> Handle(PlaceLegalHold cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await FileWrites.LoadAsync(session, cmd.FileId, null, cmd.User, ct);
        var result = FileWrites.Append(stream, FileDecider.Decide(stream.Aggregate, new FileCommand.PlaceHold(cmd.HoldId, cmd.Reason), clock.ContextFor(cmd.User)));
        return new HoldPlaced(cmd.FileId, cmd.HoldId, result.Version);
    }
}

public static class LiftLegalHoldHandler
{
    public static async Task<CommandResult> Handle(LiftLegalHold cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await FileWrites.LoadAsync(session, cmd.FileId, null, cmd.User, ct);
        return FileWrites.Append(stream, FileDecider.Decide(stream.Aggregate, new FileCommand.LiftHold(cmd.HoldId, cmd.Reason), clock.ContextFor(cmd.User)));
    }
}
