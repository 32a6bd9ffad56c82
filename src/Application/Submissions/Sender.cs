namespace ECase.Application.Submissions;

/// <summary>
/// Absender: who sent a submission. Personal data, kept out of the event stream so it can be erased (ADR 0007);
/// events name it by <see cref="Id"/> only.
/// </summary>
public sealed record Sender(Guid Id, string Name, string? Address, string? Email)
{
    /// <summary>Logs and exception messages show the id only, never the personal data.</summary>
    public override string ToString() => $"Sender {{ Id = {Id} }}";
}
