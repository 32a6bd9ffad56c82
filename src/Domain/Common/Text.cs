namespace ECase.Domain.Common;

/// <summary>Shared validation of free-text fields such as titles and subjects.</summary>
public static class Text
{
    public const int MaxTitleLength = 500;

    public static Rejection? ValidateTitle(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? new Rejection($"{field}-required", $"The {field} must not be empty.", RejectionKind.Invalid)
        : value.Trim().Length > MaxTitleLength ? new Rejection($"{field}-too-long", $"The {field} must be at most {MaxTitleLength} characters.", RejectionKind.Invalid)
        : value.Any(char.IsControl) ? new Rejection($"{field}-invalid", $"The {field} must not contain control characters.", RejectionKind.Invalid)
        : null;
}
