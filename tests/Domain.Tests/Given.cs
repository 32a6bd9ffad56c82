using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.Scanning;

namespace ECase.Domain.Tests;

/// <summary>
/// Base class of decider tests: <c>Given(events).When(command).Then(events)</c> or <c>.ThenRejected(rejection)</c>.
/// The events are folded through <c>Evolve</c> into the state that <c>Decide</c> sees.
/// </summary>
public abstract class DeciderSpec<TState, TCommand>(
    Func<TState?, object, TState?> evolve,
    Func<TState?, TCommand, CommandContext, Decision> decide)
    where TState : class
{
    /// <summary>Folds events into state, exactly as a stream would be replayed.</summary>
    protected TState? Fold(params object[] events) => events.Aggregate(default(TState), evolve);

    protected Scenario<TState, TCommand> Given(params object[] events) => new(evolve, decide, events);

    protected Scenario<TState, TCommand> GivenNothing() => Given();
}

public sealed class Scenario<TState, TCommand>(
    Func<TState?, object, TState?> evolve,
    Func<TState?, TCommand, CommandContext, Decision> decide,
    IReadOnlyList<object> history)
    where TState : class
{
    public TState? State { get; } = history.Aggregate(default(TState), evolve);

    public Outcome<TState> When(TCommand command, CommandContext? ctx = null) =>
        new(evolve, State, decide(State, command, ctx ?? Fixtures.Ctx));
}

public sealed class Outcome<TState>(Func<TState?, object, TState?> evolve, TState? before, Decision decision)
    where TState : class
{
    public Decision Decision { get; } = decision;

    /// <summary>Asserts the command was accepted with exactly these events, in this order.</summary>
    public TState? Then(params object[] expected)
    {
        var actual = Accepted();
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            EventAssert.Equal(expected[i], actual[i]);
        }

        return actual.Aggregate(before, evolve);
    }

    /// <summary>Asserts the command was accepted and returns the events for further checks.</summary>
    public IReadOnlyList<object> Accepted()
    {
        var accepted = Assert.IsType<Decision.Accepted>(Decision);
        return accepted.Events;
    }

    /// <summary>Asserts the command was refused by exactly this named rule.</summary>
    public void ThenRejected(Rejection expected)
    {
        var rejected = Assert.IsType<Decision.Rejected>(Decision);
        Assert.Equal(expected, rejected.Rejection);
    }

    /// <summary>Asserts the command was refused with this code (for rejections built on the fly, e.g. <c>title-required</c>).</summary>
    public void ThenRejected(string code)
    {
        var rejected = Assert.IsType<Decision.Rejected>(Decision);
        Assert.Equal(code, rejected.Rejection.Code);
    }
}

public static class EventAssert
{
    private static readonly IReadOnlyList<Guid> NoIds = Array.Empty<Guid>();

    /// <summary>
    /// Record equality, except that list-valued members (which compare by reference) are compared element-wise.
    /// </summary>
    public static void Equal(object expected, object actual)
    {
        if (expected is SubmissionReceived e && actual is SubmissionReceived a)
        {
            Assert.Equal(e.DocumentIds, a.DocumentIds);
            Assert.Equal(e with { DocumentIds = NoIds }, a with { DocumentIds = NoIds });
            return;
        }

        if (expected is OcrCompleted ec && actual is OcrCompleted ac)
        {
            Assert.Equal(ec.Pages, ac.Pages);
            Assert.Equal(ec with { Pages = [] }, ac with { Pages = [] });
            return;
        }

        if (expected is OcrFailed ef && actual is OcrFailed af)
        {
            Assert.Equal(ef.FailedPages, af.FailedPages);
            Assert.Equal(ef with { FailedPages = [] }, af with { FailedPages = [] });
            return;
        }

        Assert.Equal(expected, actual);
    }
}

public static class Fixtures
{
    public static readonly DateTimeOffset Now = new(2026, 3, 14, 10, 0, 0, TimeSpan.FromHours(1));
    public static readonly Actor Clerk = new("u-4711", "clerk", "HA");
    public static readonly CommandContext Ctx = new(Clerk, Now);

    public static readonly Actor Registrar = new("u-0815", "registrar", "HA");
    public static readonly DateTimeOffset Later = Now.AddDays(3);
    public static readonly CommandContext LaterCtx = new(Registrar, Later);

    /// <summary>A valid SHA-256 hex string derived from a seed, so tests can make distinct contents.</summary>
    public static string Sha(int seed) => Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(seed)));

    public static ContentRef Content(int seed, string fileName = "scan.pdf") =>
        new(Sha(seed), 1000 + seed, "application/pdf", fileName);

    public static Guid Id(int n) => new($"00000000-0000-0000-0000-{n:D12}");
}
