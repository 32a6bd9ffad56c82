using ECase.Projections.Search;

namespace ECase.Search.Tests;

/// <summary>The admission of searches: a fixed number run at once, the others wait and get their turn in order.</summary>
public sealed class SearchSlotsTests
{
    [Fact]
    public async Task Only_as_many_enter_as_there_are_slots()
    {
        var slots = new SearchSlots(2);
        Assert.True(slots.EnterAsync(CancellationToken.None).IsCompleted);
        Assert.True(slots.EnterAsync(CancellationToken.None).IsCompleted);

        var third = slots.EnterAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);

        slots.Release();
        await GetsSlotAsync(third);
    }

    [Fact]
    public async Task A_released_slot_goes_to_the_longest_waiter_not_to_whoever_asks_next()
    {
        var slots = new SearchSlots(1);
        slots.Enter();
        var first = slots.EnterAsync(CancellationToken.None);
        var second = slots.EnterAsync(CancellationToken.None);

        slots.Release();
        // the slot is handed over: a newcomer asking now waits behind the second
        var newcomer = slots.EnterAsync(CancellationToken.None);
        await GetsSlotAsync(first);
        Assert.False(second.IsCompleted);
        Assert.False(newcomer.IsCompleted);

        slots.Release();
        await GetsSlotAsync(second);
        Assert.False(newcomer.IsCompleted);

        slots.Release();
        await GetsSlotAsync(newcomer);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_line_and_takes_no_slot_with_it()
    {
        var slots = new SearchSlots(1);
        slots.Enter();
        using var cts = new CancellationTokenSource();
        var cancelled = slots.EnterAsync(cts.Token);
        var behind = slots.EnterAsync(CancellationToken.None);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(behind.IsCompleted);

        slots.Release();
        await behind.WaitAsync(TimeSpan.FromSeconds(10));
        slots.Release();
        // the one slot is free again, once
        Assert.True(slots.EnterAsync(CancellationToken.None).IsCompleted);
        Assert.False(slots.EnterAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void Many_threads_never_run_more_searches_at_once_than_there_are_slots()
    {
        var slots = new SearchSlots(3);
        var inside = 0;
        var most = 0;
        var entered = 0;
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            slots.Enter();
            try
            {
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                Interlocked.Increment(ref entered);
                Thread.SpinWait(200);
                Interlocked.Decrement(ref inside);
            }
            finally
            {
                slots.Release();
            }
        });

        Assert.Equal(2000, entered);
        Assert.InRange(most, 1, 3);
        Assert.Equal(0, inside);
    }

    [Fact]
    public void Zero_slots_are_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => new SearchSlots(0));

    /// <summary>The waiter was given its slot (within a generous bound, so a slow machine does not fail the test).</summary>
    private static async Task GetsSlotAsync(Task waiter)
    {
        await waiter.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(waiter.IsCompletedSuccessfully);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen) return;
            seen = previous;
        }
    }
}
