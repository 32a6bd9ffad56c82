using System.Security.Claims;
using ECase.Application.Audit;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Security;
using ECase.Domain.Disposal;
using ECase.Domain.FilePlans;
using ECase.Domain.Files;
using ECase.Projections.Audit;
using ECase.Projections.Files;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ECase.Application.Disposal;

public sealed record DueFile(
    Guid Id, string Reference, string Title, string PlanUnitCode, string OrgUnit, DateOnly RetentionEndsOn, DisposalProposal? Disposal,
    IReadOnlyList<string> LegalHolds);

/// <summary>Files whose retention has ended: those that can go into a process now, and those a legal hold keeps back.</summary>
public sealed record DueForDisposal(DateOnly AsOf, IReadOnlyList<DueFile> Due, IReadOnlyList<DueFile> OnHold);

public sealed record DisposalProcessSummary(
    Guid Id, DisposalKind Kind, string Archive, DisposalStage Stage, int Files, DateTimeOffset StartedAt, string StartedBy);

public static class DisposalQueries
{
    public const int MaxDue = 1000;

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/disposal/due", DueAsync).RequireAuthorization(Policies.Registrar).WithName("DueForDisposal").WithTags("Disposal");
        api.MapGet("/disposal/processes", ListAsync).RequireAuthorization(Policies.Disposal).WithName("ListDisposalProcesses").WithTags("Disposal");
        api.MapGet("/disposal/processes/{processId:guid}", async (Guid processId, ClaimsPrincipal principal, IQuerySession session, CancellationToken ct) =>
                TypedResults.Ok(await DisposalAccess.LoadAsync(session, processId, CurrentUser.From(principal), ct)))
            .RequireAuthorization(Policies.Disposal).WithName("GetDisposalProcess").WithTags("Disposal");
        api.MapGet("/disposal/processes/{processId:guid}/messages/{code}", MessageAsync)
            .RequireAuthorization(Policies.Disposal).WithName("GetDisposalMessage").WithTags("Disposal");
        api.MapGet("/disposal/processes/{processId:guid}/audit", AuditAsync)
            .RequireAuthorization(Policies.Disposal).WithName("GetDisposalAudit").WithTags("Disposal");
    }

    /// <summary>Closed files whose retention end has passed (as of today, UTC), not in a process and not destroyed.</summary>
    private static async Task<DueForDisposal> DueAsync(ClaimsPrincipal principal, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        var today = RetentionRules.Today(clock.GetUtcNow());
        var candidates = await session.Query<FileOverview>()
            .Where(f => f.Status == FileStatus.Closed && f.RetentionEndsOn != null && f.RetentionEndsOn < today
                && f.DisposalProcessId == null && f.Disposition == null)
            .OrderBy(f => f.RetentionEndsOn).Take(MaxDue).ToListAsync(ct);
        // Enums are stored as strings, so the clearance (an order) is checked here, not in SQL.
        candidates = [.. candidates.Where(f => f.Confidentiality <= user.Clearance)];
        DueFile Due(FileOverview f) => new(f.Id, f.Reference, f.Title, f.PlanUnitCode, f.OrgUnit, f.RetentionEndsOn!.Value, f.DisposalProposal, [.. f.LegalHolds.Values]);
        return new DueForDisposal(today, [.. candidates.Where(f => f.LegalHolds.Count == 0).Select(Due)], [.. candidates.Where(f => f.LegalHolds.Count > 0).Select(Due)]);
    }

    private static async Task<IReadOnlyList<DisposalProcessSummary>> ListAsync(ClaimsPrincipal principal, IQuerySession session, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        var query = session.Query<DisposalProcess>().AsQueryable();
        if (user.Role != Roles.Registrar) query = query.Where(p => p.Archive.Code == user.OrgUnit);
        var processes = await query.OrderByDescending(p => p.StartedAt).Take(500).ToListAsync(ct);
        return [.. processes.Select(p => new DisposalProcessSummary(p.Id, p.Kind, p.Archive.Code, p.Stage, p.Files.Count, p.StartedAt, p.StartedBy))];
    }

    /// <summary>A message of the process as sent or received (0501, 0502, 0504, 0505, 0506, 0507) or the disposal certificate.</summary>
    private static async Task<IResult> MessageAsync(
        Guid processId, string code, ClaimsPrincipal principal, IDocumentSession session, IContentStore store, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        var process = await DisposalAccess.LoadAsync(session, processId, user, ct);
        if (!process.Messages.TryGetValue(code, out var message)) throw new NotFoundException("message");
        var content = store.OpenRead(message.Sha256);
        await AccessLog.RecordAsync(session, clock, user, $"{AccessLog.ReadDisposalMessage}:{code}", processId, ct);
        return TypedResults.Stream(content, message.MediaType, message.FileName);
    }

    /// <summary>The process's audit trail: its events (who did which step when) and every read of its messages and containers.</summary>
    private static async Task<IReadOnlyList<AuditTrailLine>> AuditAsync(Guid processId, ClaimsPrincipal principal, IQuerySession session, CancellationToken ct)
    {
        await DisposalAccess.LoadAsync(session, processId, CurrentUser.From(principal), ct);
        var events = await session.Query<AuditEntry>().Where(e => e.StreamId == processId).ToListAsync(ct);
        var reads = await session.Query<AccessLogEntry>().Where(r => r.FileId == processId).ToListAsync(ct);
        return [.. events.Select(e => new AuditTrailLine(e.At, "event", e.EventType, e.ActorId, e.ActorRole, e.ActorOrgUnit, e.StreamId, e.StreamVersion, null, null, null))
            .Concat(reads.Select(r => new AuditTrailLine(r.At, "read", r.Action, r.UserId, r.Role, r.OrgUnit, processId, null, null, null, null)))
            .OrderBy(l => l.At)];
    }
}
