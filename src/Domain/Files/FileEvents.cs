using ECase.Domain.Common;
using ECase.Domain.FilePlans;

namespace ECase.Domain.Files;

// Events of one file (Akte) stream. Each carries the stream id, who (…By) and when (…At).

public sealed record FileOpened(
    Guid FileId, string Reference, string Title, Guid PlanUnitId, string PlanUnitCode, string OrgUnit,
    Confidentiality Confidentiality, Actor OpenedBy, DateTimeOffset OpenedAt);

/// <summary>Umprotokollierung: the file moves to another plan unit and gets a new reference.</summary>
public sealed record FileReclassified(
    Guid FileId, Guid PlanUnitId, string PlanUnitCode, string Reference, string PreviousReference,
    Confidentiality Confidentiality, Actor ReclassifiedBy, DateTimeOffset ReclassifiedAt);

/// <summary>A case (Vorgang) was opened inside the file; the file tracks it to know when it may close.</summary>
public sealed record CaseAddedToFile(Guid FileId, Guid CaseId, string Title, Actor AddedBy, DateTimeOffset AddedAt);

public sealed record FileCaseClosed(Guid FileId, Guid CaseId, Actor ClosedBy, DateTimeOffset ClosedAt);

/// <summary>
/// zdA-Verfügung: the file is closed ("zu den Akten"); retention starts counting. The retention years and disposal
/// proposal of the plan unit as valid at closing, and the retention end they give (or the file's override), are fixed here.
/// </summary>
public sealed record FileClosed(
    Guid FileId, Actor ClosedBy, DateTimeOffset ClosedAt, int? RetentionYears = null, DateOnly? RetentionEndsOn = null,
    DisposalProposal? Disposal = null);

public sealed record FileReopened(Guid FileId, string Reason, Actor ReopenedBy, DateTimeOffset ReopenedAt);
