using ECase.Domain.Common;
using ECase.Domain.FilePlans;
using ECase.Domain.Files;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace ECase.Projections.Files;

/// <summary>What a clerk sees of a file (Akte) at a glance. <see cref="Reference"/> carries a unique index.</summary>
public sealed record FileOverview(
    Guid Id, string Reference, IReadOnlyList<string> PreviousReferences, string Title, Guid PlanUnitId, string PlanUnitCode,
    string OrgUnit, Confidentiality Confidentiality, FileStatus Status, int CaseCount, int OpenCaseCount,
    string OpenedBy, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, DateTimeOffset LastChangedAt, long Version)
{
    /// <summary>Fixed at closing (zdA); the file is due for disposal the day after.</summary>
    public DateOnly? RetentionEndsOn { get; init; }

    /// <summary>The plan unit's proposal (A/B/V) as fixed at closing.</summary>
    public DisposalProposal? DisposalProposal { get; init; }

    /// <summary>Legal holds in force (id → reason).</summary>
    public IReadOnlyDictionary<Guid, string> LegalHolds { get; init; } = new Dictionary<Guid, string>();

    /// <summary>The disposal process the file is in, until it is destroyed or released.</summary>
    public Guid? DisposalProcessId { get; init; }

    /// <summary>Set once the file is destroyed or transferred: its content is gone, its metadata stays.</summary>
    public Disposition? Disposition { get; init; }

    public DateTimeOffset? DestroyedAt { get; init; }

    public string? ArchiveReference { get; init; }
}

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
        IncludeType<FileRetentionOverridden>();
        IncludeType<LegalHoldPlaced>();
        IncludeType<LegalHoldLifted>();
        IncludeType<FileOfferedToArchive>();
        IncludeType<FileReleasedFromDisposal>();
        IncludeType<FileDestroyed>();
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
        (not null, FileClosed c) => s with { Status = FileStatus.Closed, ClosedAt = c.ClosedAt, RetentionEndsOn = c.RetentionEndsOn, DisposalProposal = c.Disposal },
        (not null, FileReopened) => s with { Status = FileStatus.Open, ClosedAt = null, RetentionEndsOn = null },
        (not null, FileRetentionOverridden r) => s with { RetentionEndsOn = s.Status == FileStatus.Closed ? r.RetentionEndsOn : null },
        (not null, LegalHoldPlaced h) => s with { LegalHolds = new Dictionary<Guid, string>(s.LegalHolds) { [h.HoldId] = h.Reason } },
        (not null, LegalHoldLifted h) => s with { LegalHolds = s.LegalHolds.Where(x => x.Key != h.HoldId).ToDictionary() },
        (not null, FileOfferedToArchive o) => s with { DisposalProcessId = o.ProcessId },
        (not null, FileReleasedFromDisposal) => s with { DisposalProcessId = null },
        (not null, FileDestroyed d) => s with { Disposition = d.Disposition, DestroyedAt = d.DestroyedAt, ArchiveReference = d.ArchiveReference },
        _ => s,
    };
}
