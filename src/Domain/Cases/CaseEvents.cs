using ECase.Domain.Common;

namespace ECase.Domain.Cases;

// Events of one case (Vorgang) stream. Each carries the stream id, who (…By) and when (…At).

public sealed record CaseOpened(Guid CaseId, Guid FileId, string Title, string OrgUnit, Actor OpenedBy, DateTimeOffset OpenedAt);

public sealed record CaseRenamed(Guid CaseId, string Title, Actor RenamedBy, DateTimeOffset RenamedAt);

public sealed record CaseClosed(Guid CaseId, Guid FileId, Actor ClosedBy, DateTimeOffset ClosedAt);

/// <summary>Eingang. The sender's identity is personal data and lives outside the event stream (see ADR 0007); the event names it by id.</summary>
public sealed record SubmissionReceived(
    Guid CaseId, Guid SubmissionId, SubmissionChannel Channel, Guid? SenderId, DateTimeOffset ReceivedAt, string Subject,
    IReadOnlyList<Guid> DocumentIds, Actor RegisteredBy, DateTimeOffset RegisteredAt);

/// <summary>A new document with its first version.</summary>
public sealed record DocumentAdded(
    Guid CaseId, Guid DocumentId, string Title, Guid? SubmissionId, ContentRef Content, Actor AddedBy, DateTimeOffset AddedAt);

public sealed record DocumentVersionAdded(
    Guid CaseId, Guid DocumentId, int Version, ContentRef Content, Actor AddedBy, DateTimeOffset AddedAt);
