using ECase.Domain.Inspections;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Marten.Events.Projections;

namespace ECase.Projections.Inspections;

/// <summary>
/// The inspection aggregate, stored inline as its own document so that a command on a stream with many page views loads one
/// row instead of folding every view again (ADR 0020). Commands fetch it for writing; queries read <see cref="InspectionView"/>.
/// </summary>
public sealed class InspectionWriteModel : SingleStreamProjection<Inspection, Guid>
{
    public override Inspection? Evolve(Inspection? snapshot, Guid id, IEvent e) => Inspection.Evolve(snapshot, e.Data);
}

/// <summary>One redaction as clerks and the citizen's copy see it.</summary>
public sealed record RedactionView(
    Guid RedactionId, Guid DocumentId, int Version, int Page, double X, double Y, double Width, double Height, bool WholePage,
    RedactionReason ReasonCode, string AppliedBy, DateTimeOffset AppliedAt);

/// <summary>
/// An inspection request as it stands: what was asked, what was decided, what is granted until when, and the redactions.
/// Page views do not change it (they are the access records); <see cref="Version"/> is the stream version of its last change.
/// </summary>
public sealed record InspectionView(
    Guid Id, Guid FileId, string FileReference, string CitizenId, string Reason, LegalBasis LegalBasis, InspectionStatus Status,
    DateTimeOffset RequestedAt, long Version)
{
    public InspectionScope Scope { get; init; } = InspectionScope.Nothing;
    public DateOnly? ExpiresOn { get; init; }
    public bool DownloadAllowed { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    public string? DecidedBy { get; init; }

    public DateTimeOffset? GrantedAt { get; init; }

    /// <summary>The document versions the grant in force shows, pinned when it was made.</summary>
    public IReadOnlyList<GrantedVersion> Documents { get; init; } = [];

    public RefusalReason? RefusalReason { get; init; }
    public string? Justification { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public IReadOnlyList<RedactionView> Redactions { get; init; } = [];

    /// <summary>Granted (in whole or part), not expired and not withdrawn on <paramref name="today"/>.</summary>
    public bool IsOpenOn(DateOnly today) =>
        Status is InspectionStatus.Granted or InspectionStatus.PartlyGranted && ExpiresOn is { } end && today <= end;
}

public sealed class InspectionViewProjection : SingleStreamProjection<InspectionView, Guid>
{
    public InspectionViewProjection()
    {
        IncludeType<InspectionRequested>();
        IncludeType<InspectionGranted>();
        IncludeType<InspectionPartlyGranted>();
        IncludeType<InspectionRefused>();
        IncludeType<RedactionApplied>();
        IncludeType<RedactionRemoved>();
        IncludeType<InspectionExpired>();
        IncludeType<InspectionWithdrawn>();
        IncludeType<InspectionClosed>();
    }

    public override InspectionView? Evolve(InspectionView? snapshot, Guid id, IEvent e) =>
        Next(snapshot, e.Data) is { } next ? next with { Version = e.Version } : snapshot;

    private static InspectionView? Next(InspectionView? s, object data) => (s, data) switch
    {
        (null, InspectionRequested e) => new InspectionView(
            e.InspectionId, e.FileId, e.FileReference, e.CitizenId, e.Reason, e.LegalBasis, InspectionStatus.Requested, e.RequestedAt, 0),
        (not null, InspectionGranted e) => s with
        {
            Status = InspectionStatus.Granted, Scope = e.Scope, ExpiresOn = e.ExpiresOn, DownloadAllowed = e.DownloadAllowed,
            DecidedAt = e.GrantedAt, DecidedBy = e.GrantedBy.UserId, GrantedAt = e.GrantedAt, RefusalReason = null, Justification = null,
            Documents = e.Documents,
        },
        (not null, InspectionPartlyGranted e) => s with
        {
            Status = InspectionStatus.PartlyGranted, Scope = e.Scope, ExpiresOn = e.ExpiresOn, DownloadAllowed = e.DownloadAllowed,
            DecidedAt = e.GrantedAt, DecidedBy = e.GrantedBy.UserId, GrantedAt = e.GrantedAt, RefusalReason = e.ReasonCode, Justification = e.Justification,
            Documents = e.Documents,
        },
        (not null, InspectionRefused e) => s with
        {
            Status = InspectionStatus.Refused, Scope = InspectionScope.Nothing, DecidedAt = e.RefusedAt, DecidedBy = e.RefusedBy.UserId,
            RefusalReason = e.ReasonCode, Justification = e.Justification, ClosedAt = e.RefusedAt, Documents = [],
        },
        (not null, RedactionApplied e) => s with
        {
            Redactions = [.. s.Redactions, new RedactionView(
                e.RedactionId, e.DocumentId, e.Version, e.Area.Page, e.Area.X, e.Area.Y, e.Area.Width, e.Area.Height, e.WholePage, e.ReasonCode,
                e.AppliedBy.UserId, e.AppliedAt)],
        },
        (not null, RedactionRemoved e) => s with { Redactions = [.. s.Redactions.Where(r => r.RedactionId != e.RedactionId)] },
        (not null, InspectionExpired e) => s with { Status = InspectionStatus.Expired, ClosedAt = e.ExpiredAt },
        (not null, InspectionWithdrawn e) => s with { Status = InspectionStatus.Withdrawn, ClosedAt = e.WithdrawnAt },
        (not null, InspectionClosed e) => s with { Status = InspectionStatus.Closed, Scope = InspectionScope.Nothing, ClosedAt = e.ClosedAt, Documents = [] },
        _ => null,
    };
}

/// <summary>One page a citizen viewed, or one download (<see cref="Page"/> 0): the citizen's own access history.</summary>
public sealed record InspectionAccessRecord(
    Guid Id, Guid InspectionId, string CitizenId, Guid DocumentId, int Version, int Page, bool Download, DateTimeOffset At);

/// <summary>Writes an <see cref="InspectionAccessRecord"/> per <see cref="InspectionDocumentViewed"/>, in the same transaction.</summary>
public sealed class InspectionAccessProjection : IProjection
{
    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var e in events)
        {
            if (e.Data is InspectionDocumentViewed v)
                operations.Insert(new InspectionAccessRecord(e.Id, v.InspectionId, v.ViewedBy.UserId, v.DocumentId, v.Version, v.Page, v.Download, v.ViewedAt));
        }

        return Task.CompletedTask;
    }
}
