namespace ECase.Projections.Audit;

/// <summary>
/// One read of a file, case or document content, written by the API as it answers (append-only:
/// the database refuses UPDATE and DELETE on its table, see ProjectionSetup).
/// </summary>
public sealed record AccessLogEntry(
    Guid Id, DateTimeOffset At, string UserId, string Role, string OrgUnit, string Action, Guid FileId, Guid? CaseId, Guid? DocumentId,
    int? DocumentVersion);
