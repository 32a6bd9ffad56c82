using System.Globalization;
using System.Text.RegularExpressions;

namespace ECase.Domain.Files;

/// <summary>
/// Aktenzeichen: org unit + plan code + running number + year, e.g. <c>HA-32.10.05-0007/2026</c>.
/// The running number counts per org unit, plan code and year.
/// </summary>
public sealed partial record FileReference(string OrgUnit, string PlanCode, int Number, int Year)
{
    [GeneratedRegex(@"^(?<org>[A-Z0-9]{1,10})-(?<plan>[0-9]{1,4}(?:\.[0-9]{1,4}){0,5})-(?<num>[0-9]{4,10})/(?<year>[0-9]{4})\z")]
    private static partial Regex Pattern();

    /// <summary>The counter the running number is drawn from.</summary>
    public static string SeriesKey(string orgUnit, string planCode, int year) => $"{orgUnit}|{planCode}|{year}";

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{OrgUnit}-{PlanCode}-{Number:D4}/{Year}");

    public static bool TryParse(string? text, out FileReference? reference)
    {
        reference = null;
        var m = text is null ? null : Pattern().Match(text);
        if (m is null || !m.Success
            || !int.TryParse(m.Groups["num"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
        reference = new FileReference(
            m.Groups["org"].Value, m.Groups["plan"].Value, number, int.Parse(m.Groups["year"].Value, CultureInfo.InvariantCulture));
        return true;
    }
}
