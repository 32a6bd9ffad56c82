using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.Common;
using ECase.Domain.Files;
using ECase.Projections.FilePlans;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wolverine;
using FileState = ECase.Domain.Files.File;

namespace ECase.Application.Files;

public sealed record OpenFileRequest(string? Title, string? PlanUnitCode, Confidentiality? Confidentiality, string? OrgUnit);

/// <summary>A clerk opens a new file (Akte) under a plan unit; it gets the next reference of its series.</summary>
public sealed record OpenFile(Guid FileId, string Title, string PlanUnitCode, Confidentiality Confidentiality, string OrgUnit, CurrentUser User);

public sealed record FileOpenedResult(Guid Id, string Reference, long Version);

public static class OpenFileEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/files", async (OpenFileRequest body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
        {
            var user = CurrentUser.From(principal);
            var cmd = new OpenFile(
                Guid.CreateVersion7(), body.Title ?? "", body.PlanUnitCode?.Trim() ?? "", body.Confidentiality ?? Confidentiality.Open,
                body.OrgUnit?.Trim() ?? user.OrgUnit, user);
            var result = await bus.InvokeAsync<FileOpenedResult>(cmd, ct);
            return TypedResults.Created($"/api/files/{result.Id}", result);
        }).RequireAuthorization(Policies.FileWorkers).WithName("OpenFile").WithTags("Files");
}

public static class OpenFileHandler
{
    public static async Task<FileOpenedResult> Handle(
        OpenFile cmd, IDocumentSession session, IFileReferenceNumbers numbers, TimeProvider clock, CancellationToken ct)
    {
        if (!Access.CanSeeFile(cmd.User, cmd.OrgUnit, cmd.Confidentiality))
            throw new ForbiddenException("You may only open files in your org unit and up to your clearance.");
        var unit = await session.Query<FilePlanUnitView>().FirstOrDefaultAsync(u => u.Code == cmd.PlanUnitCode, ct);
        var planUnit = unit is null ? null : new PlanUnitRef(unit.Id, unit.Code);
        var ctx = clock.ContextFor(cmd.User);

        // Decide once with a placeholder so that invalid requests do not use up running numbers.
        FileCommand.Open Command(FileReference reference) => new(cmd.FileId, cmd.Title, planUnit, cmd.OrgUnit, cmd.Confidentiality, reference);
        FileDecider.Decide(null, Command(new FileReference(cmd.OrgUnit, cmd.PlanUnitCode, 0, ctx.Now.Year)), ctx).EventsOrThrow();

        var number = await numbers.NextAsync(cmd.OrgUnit, planUnit!.Code, ctx.Now.Year, ct);
        var reference = new FileReference(cmd.OrgUnit, planUnit.Code, number, ctx.Now.Year);
        var events = FileDecider.Decide(null, Command(reference), ctx).EventsOrThrow();
        session.Events.StartStream<FileState>(cmd.FileId, events);
        return new FileOpenedResult(cmd.FileId, reference.ToString(), events.Count);
    }
}
