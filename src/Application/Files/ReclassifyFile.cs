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

namespace ECase.Application.Files;

public sealed record ReclassifyFileRequest(string? PlanUnitCode, Confidentiality? Confidentiality, long? Version);

/// <summary>Umprotokollierung: the file moves to another plan unit (new reference) and/or changes its confidentiality.</summary>
public sealed record ReclassifyFile(Guid FileId, string? PlanUnitCode, Confidentiality? Confidentiality, long? ExpectedVersion, CurrentUser User);

public static class ReclassifyFileEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/files/{fileId:guid}/reclassify", async (Guid fileId, ReclassifyFileRequest body, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
        {
            var cmd = new ReclassifyFile(fileId, body.PlanUnitCode?.Trim(), body.Confidentiality, ExpectedVersion.From(request, body.Version), CurrentUser.From(principal));
            return CommandResults.Ok(await bus.InvokeAsync<CommandResult>(cmd, ct));
        }).RequireAuthorization(Policies.FileWorkers).WithName("ReclassifyFile").WithTags("Files");
}

public static class ReclassifyFileHandler
{
    public static async Task<CommandResult> Handle(
        ReclassifyFile cmd, IDocumentSession session, IFileReferenceNumbers numbers, TimeProvider clock, CancellationToken ct)
    {
        var stream = await FileWrites.LoadAsync(session, cmd.FileId, cmd.ExpectedVersion, cmd.User, ct);
        var file = stream.Aggregate!;
        var confidentiality = cmd.Confidentiality ?? file.Confidentiality;
        if (!Access.CanSeeFile(cmd.User, file.OrgUnit, confidentiality))
            throw new ForbiddenException("You may not classify a file above your clearance.");
        var code = cmd.PlanUnitCode ?? file.PlanUnitCode;
        var unit = await session.Query<FilePlanUnitView>().FirstOrDefaultAsync(u => u.Code == code, ct);
        var planUnit = unit is null ? null : new PlanUnitRef(unit.Id, unit.Code);
        var ctx = clock.ContextFor(cmd.User);

        FileReference? newReference = null;
        if (planUnit is not null && planUnit.Id != file.PlanUnitId)
        {
            // Check the rules before a running number is used up.
            var probe = new FileReference(file.OrgUnit, planUnit.Code, 0, ctx.Now.Year);
            FileDecider.Decide(file, new FileCommand.Reclassify(planUnit, confidentiality, probe), ctx).EventsOrThrow();
            newReference = probe with { Number = await numbers.NextAsync(file.OrgUnit, planUnit.Code, ctx.Now.Year, ct) };
        }

        return FileWrites.Append(stream, FileDecider.Decide(file, new FileCommand.Reclassify(planUnit, confidentiality, newReference), ctx));
    }
}
