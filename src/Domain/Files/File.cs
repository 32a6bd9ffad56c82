using System.Collections.Immutable;
using ECase.Domain.Common;

namespace ECase.Domain.Files;

public enum FileStatus { Open, Closed }

/// <summary>Akte: the unit of records management. State for decisions, evolved from the file stream.</summary>
public sealed record File(
    Guid Id, string Reference, string Title, Guid PlanUnitId, string PlanUnitCode, string OrgUnit,
    Confidentiality Confidentiality, FileStatus Status, ImmutableHashSet<Guid> OpenCases, ImmutableHashSet<Guid> Cases)
{
    /// <summary>The file's own retention rule; null: its plan unit's.</summary>
    public RetentionOverride? RetentionOverride { get; init; }

    /// <summary>Fixed at closing (zdA), cleared by reopening.</summary>
    public DateOnly? RetentionEndsOn { get; init; }

    /// <summary>Legal holds in force, by id, with their reason.</summary>
    public ImmutableDictionary<Guid, string> Holds { get; init; } = ImmutableDictionary<Guid, string>.Empty;

    /// <summary>The disposal process the file is part of, until it is destroyed or released.</summary>
    public Guid? DisposalProcessId { get; init; }

    public bool Destroyed { get; init; }

    /// <summary>The date of the last closing (zdA) and the plan unit's retention years fixed then.</summary>
    public DateOnly? ClosedOn { get; init; }

    public int? ClosedWithYears { get; init; }

    public static File Start(FileOpened e) => new(
        e.FileId, e.Reference, e.Title, e.PlanUnitId, e.PlanUnitCode, e.OrgUnit, e.Confidentiality,
        FileStatus.Open, [], []);

    public static File? Evolve(File? state, object @event) => (state, @event) switch
    {
        (null, FileOpened e) => Start(e),
        (not null, FileReclassified e) => state with
        {
            PlanUnitId = e.PlanUnitId,
            PlanUnitCode = e.PlanUnitCode,
            Reference = e.Reference,
            Confidentiality = e.Confidentiality,
        },
        (not null, CaseAddedToFile e) => state with { OpenCases = state.OpenCases.Add(e.CaseId), Cases = state.Cases.Add(e.CaseId) },
        (not null, FileCaseClosed e) => state with { OpenCases = state.OpenCases.Remove(e.CaseId) },
        (not null, FileClosed e) => state with
        {
            Status = FileStatus.Closed, RetentionEndsOn = e.RetentionEndsOn, ClosedOn = RetentionRules.Today(e.ClosedAt), ClosedWithYears = e.RetentionYears,
        },
        (not null, FileReopened) => state with { Status = FileStatus.Open, RetentionEndsOn = null, ClosedOn = null, ClosedWithYears = null },
        (not null, FileRetentionOverridden e) => state with
        {
            RetentionOverride = e.Years is null && e.EndsOn is null ? null : new RetentionOverride(e.Years, e.EndsOn),
            RetentionEndsOn = state.Status == FileStatus.Closed ? e.RetentionEndsOn : null,
        },
        (not null, LegalHoldPlaced e) => state with { Holds = state.Holds.SetItem(e.HoldId, e.Reason) },
        (not null, LegalHoldLifted e) => state with { Holds = state.Holds.Remove(e.HoldId) },
        (not null, FileOfferedToArchive e) => state with { DisposalProcessId = e.ProcessId },
        (not null, FileReleasedFromDisposal) => state with { DisposalProcessId = null },
        (not null, FileDestroyed) => state with { Destroyed = true },
        _ => state,
    };
}
