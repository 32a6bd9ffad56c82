namespace ECase.Application.Common;

/// <summary>Version conflicts: two writers met on one stream or document, and the loser is answered 409/412 or retried.</summary>
public static class Conflicts
{
    /// <summary>Marten's own conflict exceptions (some are internal to Marten, so they are known by name).</summary>
    public static bool IsVersionConflict(Exception e) =>
        e is JasperFx.ConcurrencyException || e.GetType().Name is "EventStreamUnexpectedMaxEventIdException" or "ConcurrentUpdateException";
}
