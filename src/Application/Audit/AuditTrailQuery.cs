using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Projections.Audit;
using ECase.Projections.Cases;
using ECase.Projections.Files;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ECase.Application.Audit;

/// <summary>One line of a file's audit trail: an event that happened, or a read of the file's data.</summary>
public sealed record AuditTrailLine(
    DateTimeOffset At, string Kind, string What, string UserId, string Role, string OrgUnit, Guid StreamId, long? StreamVersion,
    Guid? CaseId, Guid? DocumentId, int? DocumentVersion);

/// <summary>The audit trail of a file: events of the file and its cases (async projection) merged with the access log.</summary>
public static class AuditTrailQuery
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapGet("/files/{fileId:guid}/audit", HandleAsync).RequireAuthorization(Policies.AuditReaders).WithName("GetAuditTrail").WithTags("Audit");

    private static async Task<IReadOnlyList<AuditTrailLine>> HandleAsync(
        Guid fileId, ClaimsPrincipal principal, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        var file = await session.LoadAsync<FileOverview>(fileId, ct) ?? throw new NotFoundException("file");
        if (!Access.CanReadAudit(user, file.OrgUnit, file.Confidentiality)) throw new NotFoundException("file");

        // The file's stream, its cases' and its inspection requests' (Akteneinsicht: requests, decisions, every page a citizen viewed).
        var cases = await session.Query<CaseDetails>().Where(c => c.FileId == fileId).Select(c => c.Id).ToListAsync(ct);
        var inspections = await session.Query<Projections.Inspections.InspectionView>().Where(i => i.FileId == fileId).Select(i => i.Id).ToListAsync(ct);
        var streams = cases.Concat(inspections).Append(fileId).ToArray();
        var events = await session.Query<AuditEntry>().Where(e => streams.Contains(e.StreamId)).ToListAsync(ct);
        var reads = await session.Query<AccessLogEntry>().Where(r => r.FileId == fileId).ToListAsync(ct);
        await AccessLog.RecordAsync(session, clock, user, AccessLog.ReadAuditTrail, fileId, ct);

        return [.. events.Select(e => new AuditTrailLine(e.At, "event", e.EventType, e.ActorId, e.ActorRole, e.ActorOrgUnit, e.StreamId, e.StreamVersion,
                    cases.Contains(e.StreamId) ? e.StreamId : null, null, null))
            .Concat(reads.Select(r => new AuditTrailLine(r.At, "read", r.Action, r.UserId, r.Role, r.OrgUnit, r.CaseId ?? r.FileId, null,
                    r.CaseId, r.DocumentId, r.DocumentVersion)))
            .OrderBy(l => l.At)];
    }
}
