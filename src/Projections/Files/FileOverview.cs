using ECase.Domain.Common;
using ECase.Domain.Files;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace ECase.Projections.Files;

/// <summary>What a clerk sees of a file (Akte) at a glance. <see cref="Reference"/> carries a unique index.</summary>
public sealed record FileOverview(
    Guid Id, string Reference, IReadOnlyList<string> PreviousReferences, string Title, Guid PlanUnitId, string PlanUnitCode,
    string OrgUnit, Confidentiality Confidentiality, FileStatus Status, int CaseCount, int OpenCaseCount,
    string OpenedBy, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, DateTimeOffset LastChangedAt, long Version);

public sealed class FileOverviewProjection : SingleStreamProjection<FileOverview, Guid>
{
    public FileOverviewProjection()
    {
        // An event allow-list: without it Marten cannot tell from Evolve which streams this projection concerns and
        // loads its document for every stream appended inline, one round trip per projection and command.
        IncludeType<FileOpened>();
        IncludeType<FileReclassified>();
        IncludeType<CaseAddedToFile>();
        IncludeType<FileCaseClosed>();
        IncludeType<FileClosed>();
        IncludeType<FileReopened>();
    }

    public override FileOverview? Evolve(FileOverview? snapshot, Guid id, IEvent e) => Next(snapshot, e.Data) is { } next
        ? next with { Version = e.Version, LastChangedAt = Microseconds(e.Timestamp) }
        : null;

    // PostgreSQL keeps microseconds; the live event carries .NET ticks. Rounding keeps live and rebuilt read models equal.
    private static DateTimeOffset Microseconds(DateTimeOffset t) => new(t.Ticks - (t.Ticks % 10), t.Offset);

    private static FileOverview? Next(FileOverview? s, object data) => (s, data) switch
    {
        (null, FileOpened o) => new FileOverview(
            o.FileId, o.Reference, [], o.Title, o.PlanUnitId, o.PlanUnitCode, o.OrgUnit, o.Confidentiality, FileStatus.Open,
            0, 0, o.OpenedBy.UserId, o.OpenedAt, null, o.OpenedAt, 0),
        (not null, FileReclassified r) => s with
        {
            Reference = r.Reference,
            PlanUnitId = r.PlanUnitId,
            PlanUnitCode = r.PlanUnitCode,
            Confidentiality = r.Confidentiality,
            PreviousReferences = r.Reference == r.PreviousReference ? s.PreviousReferences : [.. s.PreviousReferences, r.PreviousReference],
        },
        (not null, CaseAddedToFile) => s with { CaseCount = s.CaseCount + 1, OpenCaseCount = s.OpenCaseCount + 1 },
        (not null, FileCaseClosed) => s with { OpenCaseCount = s.OpenCaseCount - 1 },
        (not null, FileClosed c) => s with { Status = FileStatus.Closed, ClosedAt = c.ClosedAt },
        (not null, FileReopened) => s with { Status = FileStatus.Open, ClosedAt = null },
        _ => s,
    };
}
