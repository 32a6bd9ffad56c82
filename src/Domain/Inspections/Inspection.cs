using System.Collections.Immutable;

namespace ECase.Domain.Inspections;

public enum InspectionStatus { Requested, Granted, PartlyGranted, Refused, Expired, Withdrawn, Closed }

public static class InspectionStatuses
{
    /// <summary>Refused, expired, withdrawn or closed: nothing more happens on the request.</summary>
    public static bool IsFinished(this InspectionStatus status) =>
        status is InspectionStatus.Refused or InspectionStatus.Expired or InspectionStatus.Withdrawn or InspectionStatus.Closed;
}

/// <summary>Akteneinsicht: one citizen's request to inspect one file, and what the clerk decided.</summary>
public sealed record Inspection(
    Guid Id, Guid FileId, string FileReference, string CitizenId, LegalBasis LegalBasis, InspectionStatus Status, InspectionScope Scope,
    DateOnly? ExpiresOn, bool DownloadAllowed, ImmutableList<RedactionApplied> Redactions)
{
    /// <summary>The document versions the grant in force shows (empty before a grant and after a refusal).</summary>
    public IReadOnlyList<GrantedVersion> Documents { get; init; } = [];

    /// <summary>Refused, expired, withdrawn or closed: nothing more happens on the request.</summary>
    public bool IsFinished => Status.IsFinished();

    public bool Shows(Guid documentId, int version) => Documents.Any(d => d.DocumentId == documentId && d.Version == version);

    /// <summary>Granted (in whole or part), not expired and not withdrawn: the citizen may see the scope now.</summary>
    public bool IsOpenOn(DateOnly today) =>
        Status is InspectionStatus.Granted or InspectionStatus.PartlyGranted && ExpiresOn is { } end && today <= end;

    public static Inspection? Evolve(Inspection? state, object @event) => (state, @event) switch
    {
        (null, InspectionRequested e) => new Inspection(
            e.InspectionId, e.FileId, e.FileReference, e.CitizenId, e.LegalBasis, InspectionStatus.Requested, InspectionScope.Nothing, null, false, []),
        (not null, InspectionGranted e) => state with
        {
            Status = InspectionStatus.Granted, Scope = e.Scope, ExpiresOn = e.ExpiresOn, DownloadAllowed = e.DownloadAllowed, Documents = e.Documents,
        },
        (not null, InspectionPartlyGranted e) => state with
        {
            Status = InspectionStatus.PartlyGranted, Scope = e.Scope, ExpiresOn = e.ExpiresOn, DownloadAllowed = e.DownloadAllowed, Documents = e.Documents,
        },
        (not null, InspectionRefused) => state with { Status = InspectionStatus.Refused, Scope = InspectionScope.Nothing, Documents = [] },
        (not null, RedactionApplied e) => state with { Redactions = state.Redactions.Add(e) },
        (not null, RedactionRemoved e) => state with { Redactions = state.Redactions.RemoveAll(r => r.RedactionId == e.RedactionId) },
        (not null, InspectionExpired) => state with { Status = InspectionStatus.Expired },
        (not null, InspectionWithdrawn) => state with { Status = InspectionStatus.Withdrawn },
        (not null, InspectionClosed) => state with { Status = InspectionStatus.Closed, Scope = InspectionScope.Nothing, Documents = [] },
        _ => state,
    };
}
