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

    public sealed record Close : FileCommand;

    public sealed record Reopen(string Reason) : FileCommand;
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
        (not null, FileCommand.Reclassify c) => Reclassify(state, c, ctx),
        (not null, FileCommand.Close) => Close(state, ctx),
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

    private static Decision Close(File state, CommandContext ctx) =>
        state.Status == FileStatus.Closed ? FileRejections.FileClosed
        : state.OpenCases.Count > 0 ? FileRejections.FileHasOpenCases
        : Decision.Of(new FileClosed(state.Id, ctx.By, ctx.Now));

    private static Decision Reopen(File state, FileCommand.Reopen c, CommandContext ctx) =>
        state.Status != FileStatus.Closed ? FileRejections.FileNotClosed
        : string.IsNullOrWhiteSpace(c.Reason) ? FileRejections.ReasonRequired
        : Decision.Of(new FileReopened(state.Id, c.Reason.Trim(), ctx.By, ctx.Now));
}
