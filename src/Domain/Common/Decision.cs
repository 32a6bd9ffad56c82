namespace ECase.Domain.Common;

/// <summary>How a rejection reads to a caller: a broken rule (409), bad input (400) or a missing thing (404).</summary>
public enum RejectionKind { Conflict, Invalid, NotFound, Forbidden }

/// <summary>A business rule that refused a command. <see cref="Code"/> is stable and ends up in the problem type.</summary>
public sealed record Rejection(string Code, string Message, RejectionKind Kind = RejectionKind.Conflict)
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
