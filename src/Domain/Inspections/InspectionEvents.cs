using ECase.Domain.Common;

namespace ECase.Domain.Inspections;

// Akteneinsicht (issue #7): one stream per inspection request. Each event carries the stream id, who (…By) and when (…At).

/// <summary>Participant: §29 VwVfG (party to the procedure); FreedomOfInformation: IFG (anyone, for official information).</summary>
public enum LegalBasis { Participant, FreedomOfInformation }

public enum RefusalReason { NotParticipant, ProcedureOngoing, ThirdPartyRights, BusinessSecret, PublicInterest, Other }

public enum RedactionReason { ThirdPartyPersonalData, BusinessSecret, Draft, Other }

/// <summary>What is granted: the whole file, or some of its cases and documents.</summary>
public sealed record InspectionScope(bool WholeFile, IReadOnlyList<Guid> CaseIds, IReadOnlyList<Guid> DocumentIds)
{
    public static readonly InspectionScope Nothing = new(false, [], []);

    public bool IsEmpty => !WholeFile && CaseIds.Count == 0 && DocumentIds.Count == 0;

    public bool Covers(Guid caseId, Guid documentId) => WholeFile || CaseIds.Contains(caseId) || DocumentIds.Contains(documentId);

    /// <summary>Two scopes are equal when they grant the same: the lists compare by content, not by reference.</summary>
    public bool Equals(InspectionScope? other) =>
        other is not null && WholeFile == other.WholeFile && CaseIds.SequenceEqual(other.CaseIds) && DocumentIds.SequenceEqual(other.DocumentIds);

    public override int GetHashCode() => HashCode.Combine(WholeFile, CaseIds.Count, DocumentIds.Count);
}

/// <summary>A rectangle on a page in PDF points (origin bottom left). With <c>WholePage</c> the page is withheld and replaced by a placeholder.</summary>
public sealed record RedactionArea(int Page, double X, double Y, double Width, double Height);

public sealed record InspectionRequested(
    Guid InspectionId, Guid FileId, string FileReference, string CitizenId, string Reason, LegalBasis LegalBasis, Actor RequestedBy, DateTimeOffset RequestedAt);

/// <summary>
/// One document version a grant shows, named exactly: the content it discloses (hash, type) and the titles the citizen sees.
/// A version added later is not part of the grant until the clerk grants again.
/// </summary>
public sealed record GrantedVersion(Guid CaseId, Guid DocumentId, int Version, string Sha256, string MediaType, string FileName, string Title, string CaseTitle);

public sealed record InspectionGranted(
    Guid InspectionId, InspectionScope Scope, DateOnly ExpiresOn, bool DownloadAllowed, Actor GrantedBy, DateTimeOffset GrantedAt)
{
    /// <summary>The document versions in the scope when it was granted.</summary>
    public IReadOnlyList<GrantedVersion> Documents { get; init; } = [];
}

/// <summary>Granted in part: the scope shown, and why the rest is not.</summary>
public sealed record InspectionPartlyGranted(
    Guid InspectionId, InspectionScope Scope, DateOnly ExpiresOn, bool DownloadAllowed, RefusalReason ReasonCode, string Justification,
    Actor GrantedBy, DateTimeOffset GrantedAt)
{
    /// <summary>The document versions in the scope when it was granted.</summary>
    public IReadOnlyList<GrantedVersion> Documents { get; init; } = [];
}

public sealed record InspectionRefused(Guid InspectionId, RefusalReason ReasonCode, string Justification, Actor RefusedBy, DateTimeOffset RefusedAt);

/// <summary>A region of a page of one document version is blacked out in the citizen's copy, or the whole page is withheld.</summary>
public sealed record RedactionApplied(
    Guid InspectionId, Guid RedactionId, Guid DocumentId, int Version, RedactionArea Area, bool WholePage, RedactionReason ReasonCode,
    Actor AppliedBy, DateTimeOffset AppliedAt);

/// <summary>A misplaced or no longer needed redaction is taken back; the copy is made again without it.</summary>
public sealed record RedactionRemoved(Guid InspectionId, Guid RedactionId, Actor RemovedBy, DateTimeOffset RemovedAt);

/// <summary>The citizen viewed a page of a granted document, or downloaded it (<paramref name="Page"/> 0).</summary>
public sealed record InspectionDocumentViewed(
    Guid InspectionId, Guid DocumentId, int Version, int Page, bool Download, Actor ViewedBy, DateTimeOffset ViewedAt);

public sealed record InspectionExpired(Guid InspectionId, DateOnly ExpiresOn, Actor ExpiredBy, DateTimeOffset ExpiredAt);

/// <summary>Why an inspection ended without the citizen or the clerk deciding it.</summary>
public enum InspectionCloseReason { FileDestroyed }

/// <summary>The request ended because what it was about is gone (the file was destroyed or handed to the archive and deleted).</summary>
public sealed record InspectionClosed(Guid InspectionId, InspectionCloseReason Reason, Actor ClosedBy, DateTimeOffset ClosedAt);

public sealed record InspectionWithdrawn(Guid InspectionId, string? Reason, Actor WithdrawnBy, DateTimeOffset WithdrawnAt);
