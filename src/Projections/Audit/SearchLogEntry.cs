namespace ECase.Projections.Audit;

/// <summary>
/// One search: who searched what, with which filters, and how many hits they were shown (append-only like the access
/// log; the database refuses UPDATE and DELETE on its table).
/// </summary>
public sealed record SearchLogEntry(
    Guid Id, DateTimeOffset At, string UserId, string Role, string OrgUnit, string Query, string? Filters, int Hits);
