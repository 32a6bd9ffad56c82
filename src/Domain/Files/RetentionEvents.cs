using ECase.Domain.Common;

namespace ECase.Domain.Files;

// Retention, legal holds and disposal as the file stream records them (issue #6, ADR 0017). The disposal process itself
// has its own stream (ECase.Domain.Disposal); the file stream records what happens to this file in it.

/// <summary>
/// The file's own retention instead of its plan unit's: a number of years counted like the plan's, or a fixed end date
/// (e.g. a migrated paper file whose retention is known). Both null: back to the plan unit's rule.
/// <paramref name="RetentionEndsOn"/> is the new end when the file is closed already, else null.
/// </summary>
public sealed record FileRetentionOverridden(
    Guid FileId, int? Years, DateOnly? EndsOn, string Reason, DateOnly? RetentionEndsOn, Actor OverriddenBy, DateTimeOffset OverriddenAt);

/// <summary>Rechtsstand (legal hold): while any hold is set, the file is neither offered nor destroyed.</summary>
public sealed record LegalHoldPlaced(Guid FileId, Guid HoldId, string Reason, Actor PlacedBy, DateTimeOffset PlacedAt);

public sealed record LegalHoldLifted(Guid FileId, Guid HoldId, string Reason, Actor LiftedBy, DateTimeOffset LiftedAt);

/// <summary>The file became part of disposal process <paramref name="ProcessId"/> (offered, or selected in a two-stage procedure).</summary>
public sealed record FileOfferedToArchive(Guid FileId, Guid ProcessId, Actor OfferedBy, DateTimeOffset OfferedAt);

/// <summary>The process ended without disposing of the file (import failed, legal hold); it is due again.</summary>
public sealed record FileReleasedFromDisposal(Guid FileId, Guid ProcessId, string Code, string Reason, Actor ReleasedBy, DateTimeOffset ReleasedAt);

public enum Disposition
{
    /// <summary>Transferred to the archive, which confirmed the import; the agency's copy is deleted.</summary>
    Transferred,

    /// <summary>Appraised V (vernichten) and destroyed.</summary>
    Destroyed,
}

/// <summary>
/// The file's content is gone from the content store; its metadata and events stay as proof. Appended to the file stream
/// and to each of its case streams.
/// </summary>
public sealed record FileDestroyed(
    Guid FileId, Guid ProcessId, Disposition Disposition, string? ArchiveReference, int Blobs, long Bytes, Actor DestroyedBy, DateTimeOffset DestroyedAt);
