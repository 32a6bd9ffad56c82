using System.Text.RegularExpressions;
using ECase.Domain.Common;

namespace ECase.Domain.FilePlans;

public abstract record FilePlanCommand
{
    private FilePlanCommand() { }

    public sealed record CreateUnit(Guid UnitId, string Code, string Title, int RetentionYears, DisposalProposal Disposal, bool CodeTaken) : FilePlanCommand;

    public sealed record ChangeRetention(int RetentionYears, DisposalProposal Disposal) : FilePlanCommand;
}

public static partial class FilePlanRejections
{
    public static readonly Rejection InvalidCode = new("plan-unit-code-invalid", "A plan unit code is one to six groups of digits separated by dots, e.g. 32.10.05.", RejectionKind.Invalid);
    public static readonly Rejection CodeTaken = new("plan-unit-code-taken", "A plan unit with this code already exists.");
    public static readonly Rejection InvalidRetention = new("retention-years-invalid", "Retention years must be between 0 and 200.", RejectionKind.Invalid);
    public static readonly Rejection AlreadyExists = new("plan-unit-exists", "The plan unit already exists.");
    public static readonly Rejection Unknown = new("plan-unit-unknown", "There is no such plan unit.", RejectionKind.NotFound);
}

public static partial class FilePlanDecider
{
    [GeneratedRegex(@"^[0-9]{1,4}(\.[0-9]{1,4}){0,5}\z")]
    private static partial Regex CodePattern();

    public static bool IsValidCode(string? code) => code is not null && CodePattern().IsMatch(code);

    public static Decision Decide(FilePlanUnit? state, FilePlanCommand command, CommandContext ctx) => (state, command) switch
    {
        (null, FilePlanCommand.CreateUnit c) => Create(c, ctx),
        (not null, FilePlanCommand.CreateUnit) => FilePlanRejections.AlreadyExists,
        (null, _) => FilePlanRejections.Unknown,
        (not null, FilePlanCommand.ChangeRetention c) => ValidRetention(c.RetentionYears)
            ? Decision.Of(new FilePlanUnitRetentionChanged(state.Id, c.RetentionYears, c.Disposal, ctx.By, ctx.Now))
            : FilePlanRejections.InvalidRetention,
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    };

    private static Decision Create(FilePlanCommand.CreateUnit c, CommandContext ctx)
    {
        if (!IsValidCode(c.Code)) return FilePlanRejections.InvalidCode;
        if (Text.ValidateTitle(c.Title, "title") is { } bad) return bad;
        if (!ValidRetention(c.RetentionYears)) return FilePlanRejections.InvalidRetention;
        if (c.CodeTaken) return FilePlanRejections.CodeTaken;
        return Decision.Of(new FilePlanUnitCreated(c.UnitId, c.Code, c.Title.Trim(), c.RetentionYears, c.Disposal, ctx.By, ctx.Now));
    }

    private static bool ValidRetention(int years) => years is >= 0 and <= 200;
}
