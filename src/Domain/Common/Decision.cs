namespace ECase.Domain.Common;

/// <summary>A business rule that refused a command. <see cref="Code"/> is stable and ends up in the problem type.</summary>
public sealed record Rejection(string Code, string Message)
{
    public override string ToString() => Code;
}

/// <summary>What <c>Decide</c> returns: the events that happen, or the rule that refused the command.</summary>
public abstract record Decision
{
    private Decision() { }

    public sealed record Accepted(IReadOnlyList<object> Events) : Decision;

    public sealed record Rejected(Rejection Rejection) : Decision;

    public static Decision Of(params object[] events) => new Accepted(events);

    public static implicit operator Decision(Rejection rejection) => new Rejected(rejection);

    public IReadOnlyList<object> EventsOrThrow() => this switch
    {
        Accepted a => a.Events,
        Rejected r => throw new RejectedException(r.Rejection),
        _ => throw new InvalidOperationException(),
    };
}

/// <summary>Carries a <see cref="Rejection"/> out of a handler so the host can map it to a 409 problem.</summary>
public sealed class RejectedException(Rejection rejection) : Exception(rejection.Message)
{
    public Rejection Rejection { get; } = rejection;
}
