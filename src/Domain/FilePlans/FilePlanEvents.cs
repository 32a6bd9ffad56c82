using ECase.Domain.Common;

namespace ECase.Domain.FilePlans;

/// <summary>Aussonderungsart: what happens to a file when its retention ends.</summary>
public enum DisposalProposal
{
    /// <summary>A – archivieren</summary>
    Archive,
    /// <summary>B – bewerten (the archive decides)</summary>
    Appraise,
    /// <summary>V – vernichten</summary>
    Destroy,
}

public sealed record FilePlanUnitCreated(
    Guid UnitId, string Code, string Title, int RetentionYears, DisposalProposal Disposal, Actor CreatedBy, DateTimeOffset CreatedAt);

public sealed record FilePlanUnitRetentionChanged(
    Guid UnitId, int RetentionYears, DisposalProposal Disposal, Actor ChangedBy, DateTimeOffset ChangedAt);
