namespace ECase.Application.Files;

/// <summary>Running numbers of file references, one series per org unit, plan code and year (ADR 0003).</summary>
public interface IFileReferenceNumbers
{
    /// <summary>Reserves the next number of the series; unique and increasing, gaps possible.</summary>
    Task<int> NextAsync(string orgUnit, string planCode, int year, CancellationToken ct);
}
