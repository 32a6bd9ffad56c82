using ECase.Domain.Common;

namespace ECase.Domain.Files;

/// <summary>The plan unit a command refers to, as the handler found it (null: no such unit).</summary>
public sealed record PlanUnitRef(Guid Id, string Code);

public abstract record FileCommand
{
    private FileCommand() { }

    /// <param name="Reference">Reserved by the handler from the running-number series of org unit, plan code and year.</param>
    public sealed record Open(Guid FileId, string Title, PlanUnitRef? PlanUnit, string OrgUnit, Confidentiality Confidentiality, FileReference Reference) : FileCommand;

    /// <param name="NewReference">Reserved by the handler when the plan unit changes; null when it does not.</param>
    public sealed record Reclassify(PlanUnitRef? PlanUnit, Confidentiality Confidentiality, FileReference? NewReference) : FileCommand;

    /// <param name="Plan">The plan unit's retention as valid now; null only where no plan rule applies (tests of older events).</param>
    public sealed record Close(PlanRetention? Plan = null) : FileCommand;

    public sealed record Reopen(string Reason) : FileCommand;

    /// <summary>Registrar: the file's own retention (years or a fixed end date); both null returns to the plan unit's rule.</summary>
    public sealed record OverrideRetention(int? Years, DateOnly? EndsOn, string Reason, PlanRetention? Plan) : FileCommand;

    public sealed record PlaceHold(Guid HoldId, string Reason) : FileCommand;

    public sealed record LiftHold(Guid HoldId, string Reason) : FileCommand;

    /// <summary>The file joins a disposal process: it must be closed, its retention ended, and no hold set.</summary>
    public sealed record OfferToArchive(Guid ProcessId) : FileCommand;

    public sealed record ReleaseFromDisposal(Guid ProcessId, string Code, string Reason) : FileCommand;

    public sealed record Destroy(Guid ProcessId, Disposition Disposition, string? ArchiveReference, int Blobs, long Bytes) : FileCommand;
}

public static class FileRejections
{
    public static readonly Rejection AlreadyExists = new("file-exists", "A file with this id already exists.");
    public static readonly Rejection Unknown = new("file-unknown", "There is no such file.", RejectionKind.NotFound);
    public static readonly Rejection UnknownPlanUnit = new("plan-unit-unknown", "The plan unit does not exist.", RejectionKind.Invalid);
    public static readonly Rejection InvalidOrgUnit = new("org-unit-invalid", "An org unit is 1 to 10 capital letters or digits.", RejectionKind.Invalid);
    public static readonly Rejection FileClosed = new("file-closed", "The file is closed (zdA); reopen it first.");
    public static readonly Rejection FileNotClosed = new("file-not-closed", "Only a closed file can be reopened.");
    public static readonly Rejection FileHasOpenCases = new("file-has-open-cases", "A file with open cases cannot be closed; close its cases first.");
    public static readonly Rejection SamePlanUnit = new("reclassify-no-change", "The file already has this plan unit and confidentiality.");
    public static readonly Rejection ReasonRequired = new("reason-required", "A reason is required.", RejectionKind.Invalid);
    public static readonly Rejection Destroyed = new("file-destroyed", "The file was destroyed (disposed of); only its metadata remains.");
    public static readonly Rejection InDisposal = new("file-in-disposal", "The file is part of a disposal process.");
    public static readonly Rejection RetentionInvalid = new(
        "retention-invalid", $"Give either retention years (0 to {RetentionRules.MaxYears}) or a fixed end date, not both.", RejectionKind.Invalid);
    public static readonly Rejection RetentionNotEnded = new("retention-not-ended", "The file's retention has not ended yet.");
    public static readonly Rejection OnLegalHold = new("file-on-legal-hold", "A legal hold is set on the file.");
    public static readonly Rejection HoldUnknown = new("legal-hold-unknown", "The file has no such legal hold.", RejectionKind.NotFound);
    public static readonly Rejection HoldExists = new("legal-hold-exists", "A legal hold with this id exists already.");
    public static readonly Rejection NotInProcess = new("file-not-in-process", "The file is not part of this disposal process.");
}

public static class FileDecider
{
    public static bool IsValidOrgUnit(string? orgUnit) =>
        orgUnit is { Length: >= 1 and <= 10 } && orgUnit.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9');

    public static Decision Decide(File? state, FileCommand command, CommandContext ctx) => (state, command) switch
    {
        (null, FileCommand.Open c) => Open(c, ctx),
        (not null, FileCommand.Open) => FileRejections.AlreadyExists,
        (null, _) => FileRejections.Unknown,
        ({ Destroyed: true }, _) => FileRejections.Destroyed,
        (not null, FileCommand.OverrideRetention c) => OverrideRetention(state, c, ctx),
        (not null, FileCommand.PlaceHold c) => PlaceHold(state, c, ctx),
        (not null, FileCommand.LiftHold c) => LiftHold(state, c, ctx),
        (not null, FileCommand.OfferToArchive c) => OfferToArchive(state, c, ctx),
        (not null, FileCommand.ReleaseFromDisposal c) => state.DisposalProcessId != c.ProcessId ? FileRejections.NotInProcess
            : Decision.Of(new FileReleasedFromDisposal(state.Id, c.ProcessId, c.Code, c.Reason, ctx.By, ctx.Now)),
        (not null, FileCommand.Destroy c) => Destroy(state, c, ctx),
        (not null, FileCommand.Reclassify c) => Reclassify(state, c, ctx),
        (not null, FileCommand.Close c) => Close(state, c, ctx),
        (not null, FileCommand.Reopen c) => Reopen(state, c, ctx),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    private static Decision Open(FileCommand.Open c, CommandContext ctx)
    {
        if (Text.ValidateTitle(c.Title, "title") is { } bad) return bad;
        if (!IsValidOrgUnit(c.OrgUnit)) return FileRejections.InvalidOrgUnit;
        if (c.PlanUnit is null) return FileRejections.UnknownPlanUnit;
        return Decision.Of(new FileOpened(
            c.FileId, c.Reference.ToString(), c.Title.Trim(), c.PlanUnit.Id, c.PlanUnit.Code, c.OrgUnit,
            c.Confidentiality, ctx.By, ctx.Now));
    }

    private static Decision Reclassify(File state, FileCommand.Reclassify c, CommandContext ctx)
    {
        if (state.Status == FileStatus.Closed) return FileRejections.FileClosed;
        if (c.PlanUnit is null) return FileRejections.UnknownPlanUnit;
        if (c.PlanUnit.Id == state.PlanUnitId && c.Confidentiality == state.Confidentiality) return FileRejections.SamePlanUnit;
        // Keep the reference when only the confidentiality changes: the running number belongs to the plan unit.
        var reference = c.PlanUnit.Id == state.PlanUnitId ? state.Reference
            : c.NewReference?.ToString() ?? throw new ArgumentException("A new plan unit needs a new reference.", nameof(c));
        return Decision.Of(new FileReclassified(
            state.Id, c.PlanUnit.Id, c.PlanUnit.Code, reference, state.Reference, c.Confidentiality, ctx.By, ctx.Now));
    }

    private static Decision Close(File state, FileCommand.Close c, CommandContext ctx) =>
        state.Status == FileStatus.Closed ? FileRejections.FileClosed
        : state.OpenCases.Count > 0 ? FileRejections.FileHasOpenCases
        : Decision.Of(new FileClosed(
            state.Id, ctx.By, ctx.Now, c.Plan?.Years,
            c.Plan is null && state.RetentionOverride is null ? null : RetentionRules.EndFor(RetentionRules.Today(ctx.Now), state.RetentionOverride, c.Plan?.Years),
            c.Plan?.Disposal));

    private static Decision Reopen(File state, FileCommand.Reopen c, CommandContext ctx) =>
        state.Status != FileStatus.Closed ? FileRejections.FileNotClosed
        : state.DisposalProcessId is not null ? FileRejections.InDisposal
        : string.IsNullOrWhiteSpace(c.Reason) ? FileRejections.ReasonRequired
        : Decision.Of(new FileReopened(state.Id, c.Reason.Trim(), ctx.By, ctx.Now));

    private static Decision OverrideRetention(File state, FileCommand.OverrideRetention c, CommandContext ctx)
    {
        if (c.Years is not null && c.EndsOn is not null || c.Years is < 0 or > RetentionRules.MaxYears) return FileRejections.RetentionInvalid;
        if (string.IsNullOrWhiteSpace(c.Reason)) return FileRejections.ReasonRequired;
        if (state.DisposalProcessId is not null) return FileRejections.InDisposal;
        var rule = c.Years is null && c.EndsOn is null ? null : new RetentionOverride(c.Years, c.EndsOn);
        // A closed file's end is recomputed from its closing date: the plan's years as fixed at closing, unless overridden.
        DateOnly? end = state.Status != FileStatus.Closed || state.ClosedOn is not { } closedOn ? null
            : RetentionRules.EndFor(closedOn, rule, state.ClosedWithYears ?? c.Plan?.Years);
        return Decision.Of(new FileRetentionOverridden(state.Id, c.Years, c.EndsOn, c.Reason.Trim(), end, ctx.By, ctx.Now));
    }

    private static Decision PlaceHold(File state, FileCommand.PlaceHold c, CommandContext ctx) =>
        string.IsNullOrWhiteSpace(c.Reason) ? FileRejections.ReasonRequired
        : state.Holds.ContainsKey(c.HoldId) ? FileRejections.HoldExists
        : Decision.Of(new LegalHoldPlaced(state.Id, c.HoldId, c.Reason.Trim(), ctx.By, ctx.Now));

    private static Decision LiftHold(File state, FileCommand.LiftHold c, CommandContext ctx) =>
        !state.Holds.ContainsKey(c.HoldId) ? FileRejections.HoldUnknown
        : string.IsNullOrWhiteSpace(c.Reason) ? FileRejections.ReasonRequired
        : Decision.Of(new LegalHoldLifted(state.Id, c.HoldId, c.Reason.Trim(), ctx.By, ctx.Now));

    private static Decision OfferToArchive(File state, FileCommand.OfferToArchive c, CommandContext ctx) =>
        state.Status != FileStatus.Closed ? FileRejections.FileNotClosed
        : state.DisposalProcessId is not null ? FileRejections.InDisposal
        : !state.Holds.IsEmpty ? FileRejections.OnLegalHold
        : !RetentionRules.HasEnded(state.RetentionEndsOn, RetentionRules.Today(ctx.Now)) ? FileRejections.RetentionNotEnded
        : Decision.Of(new FileOfferedToArchive(state.Id, c.ProcessId, ctx.By, ctx.Now));

    private static Decision Destroy(File state, FileCommand.Destroy c, CommandContext ctx) =>
        state.DisposalProcessId != c.ProcessId ? FileRejections.NotInProcess
        : !state.Holds.IsEmpty ? FileRejections.OnLegalHold
        : Decision.Of(new FileDestroyed(state.Id, c.ProcessId, c.Disposition, c.ArchiveReference, c.Blobs, c.Bytes, ctx.By, ctx.Now));
}
