namespace ECase.Domain.Files;

/// <summary>The file's own retention rule, if it overrides its plan unit's (see <see cref="FileRetentionOverridden"/>).</summary>
public sealed record RetentionOverride(int? Years, DateOnly? EndsOn);

/// <summary>The plan unit's retention as valid when the file is closed, looked up by the handler.</summary>
public sealed record PlanRetention(int Years, FilePlans.DisposalProposal Disposal);

/// <summary>
/// Aufbewahrungsfrist. As German registry rules count it, retention starts at the end of the calendar year in which the
/// file was closed (zdA): a file closed on 2026-03-05 with 10 years is kept until 2036-12-31 and due on 2037-01-01.
/// A fixed end date overrides the count. Dates are calendar dates in UTC.
/// </summary>
public static class RetentionRules
{
    public const int MaxYears = 200;

    public static DateOnly EndOf(DateOnly closedOn, int years) => new(closedOn.Year + years, 12, 31);

    public static DateOnly? EndFor(DateOnly closedOn, RetentionOverride? fileRule, int? planYears) =>
        fileRule?.EndsOn ?? (fileRule?.Years ?? planYears) switch
        {
            { } years => EndOf(closedOn, years),
            null => null,
        };

    /// <summary>Due for disposal once the retention end date has passed.</summary>
    public static bool HasEnded(DateOnly? endsOn, DateOnly today) => endsOn is { } end && end < today;

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);
}
