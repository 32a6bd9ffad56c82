using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.Files;

namespace ECase.Domain.Disposal;

// Events of one disposal process (Aussonderung) stream, keyed by the xdomea ProzessID (issue #6, ADR 0017).
// Every xdomea message sent or received is kept in the content store; the events name it by its ContentRef.

public enum DisposalKind
{
    /// <summary>Offer (0501) and the archive's appraisal (0502) before the transfer.</summary>
    OfferAndAppraisal,

    /// <summary>Zweistufiges Verfahren: no offer; the appraisal comes from the file plan (A or V per plan unit).</summary>
    TwoStage,
}

/// <summary>The archive a process is addressed to: its code (archivists of that org unit see it) and its name.</summary>
public sealed record ArchiveParty(string Code, string Name);

/// <summary>A file in the process, with its cases, as it was when it was selected.</summary>
public sealed record DisposalFile(Guid FileId, string Reference, string Title, IReadOnlyList<Guid> CaseIds);

/// <summary>A (archivieren) or V (vernichten) for a file or a case.</summary>
public sealed record ObjectAppraisal(Guid ObjectId, string Decision);

/// <summary>The archive's import result (0506) for one transferred object.</summary>
public sealed record ObjectImport(Guid ObjectId, bool Succeeded, string? ArchiveReference, IReadOnlyList<string> Errors);

public sealed record DisposedFile(Guid FileId, string Reference, Disposition Disposition, string? ArchiveReference, int Blobs, long Bytes);

/// <summary>A file the process did not dispose of, and why (<c>legal-hold</c>, <c>import-failed</c>, <c>not-confirmed</c>).</summary>
public sealed record SkippedFile(Guid FileId, string Reference, string Code, string Reason);

/// <summary>0501 sent: the files are offered to the archive (metadata only).</summary>
public sealed record FilesOfferedToArchive(
    Guid ProcessId, ArchiveParty Archive, string XdomeaVersion, IReadOnlyList<DisposalFile> Files, ContentRef Message,
    Actor OfferedBy, DateTimeOffset OfferedAt);

/// <summary>A two-stage process: the files are selected and appraised from their plan units in one step.</summary>
public sealed record TwoStageDisposalStarted(
    Guid ProcessId, ArchiveParty Archive, string XdomeaVersion, IReadOnlyList<DisposalFile> Files, IReadOnlyList<ObjectAppraisal> Appraisal,
    Actor StartedBy, DateTimeOffset StartedAt);

/// <summary>0504 received: the archive confirms it received the offer.</summary>
public sealed record OfferReceiptReceived(Guid ProcessId, ContentRef Message, Actor RecordedBy, DateTimeOffset RecordedAt);

/// <summary>0502 received and 0505 produced.</summary>
public sealed record AppraisalRecorded(
    Guid ProcessId, IReadOnlyList<ObjectAppraisal> Decisions, ContentRef Message, ContentRef Receipt, Actor RecordedBy, DateTimeOffset RecordedAt);

/// <summary>The 0503 container was built by an export job and can be downloaded.</summary>
public sealed record TransferPackaged(
    Guid ProcessId, Guid JobId, string XdomeaVersion, string ZipSha256, long ZipBytes, int Documents, IReadOnlyList<Guid> ObjectIds,
    IReadOnlyList<string> Warnings, Actor PackagedBy, DateTimeOffset PackagedAt);

/// <summary>0507 received: the archive confirms it received the transfer.</summary>
public sealed record TransferReceiptReceived(Guid ProcessId, ContentRef Message, Actor RecordedBy, DateTimeOffset RecordedAt);

/// <summary>0506 received: per transferred object, whether the archive imported it and under which reference.</summary>
public sealed record ImportConfirmed(
    Guid ProcessId, IReadOnlyList<ObjectImport> Objects, ContentRef Message, Actor RecordedBy, DateTimeOffset RecordedAt);

/// <summary>Destruction done: what was destroyed, what was skipped and why, and the disposal certificate (PDF/A).</summary>
public sealed record DisposalCompleted(
    Guid ProcessId, IReadOnlyList<DisposedFile> Disposed, IReadOnlyList<SkippedFile> Skipped, ContentRef Certificate,
    Actor CompletedBy, DateTimeOffset CompletedAt);
