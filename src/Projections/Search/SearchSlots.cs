namespace ECase.Projections.Search;

/// <summary>
/// At most a fixed number of searches at once, the others waiting first come, first served. A slot that is given back
/// goes straight to the longest waiter, so a searcher that has just finished cannot take it again ahead of the queue
/// (as <see cref="SemaphoreSlim.Wait()"/> lets it: that doubled the p99 of the search benchmark).
/// </summary>
public sealed class SearchSlots(int slots)
{
    private readonly Queue<TaskCompletionSource> _waiting = new();
    private int _free = slots > 0 ? slots : throw new ArgumentOutOfRangeException(nameof(slots), "at least one slot");

    public int Count { get; } = slots;

    /// <summary>Takes a slot, or waits in line for one. Give it back with <see cref="Release"/>.</summary>
    public Task EnterAsync(CancellationToken ct)
    {
        TaskCompletionSource turn;
        lock (_waiting)
        {
            if (_free > 0)
            {
                _free--;
                return Task.CompletedTask;
            }

            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue(turn);
        }

        return ct.CanBeCanceled ? WaitAsync(turn, ct) : turn.Task;
    }

    /// <summary>Takes a slot, blocking the calling thread while it waits in line.</summary>
    public void Enter() => EnterAsync(CancellationToken.None).GetAwaiter().GetResult();

    public void Release()
    {
        TaskCompletionSource? next;
        lock (_waiting)
        {
            if (!_waiting.TryDequeue(out next))
            {
                _free++;
                return;
            }
        }

        next.SetResult();
    }

    private async Task WaitAsync(TaskCompletionSource turn, CancellationToken ct)
    {
        try
        {
            await turn.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Leave the line; a slot handed over meanwhile is passed on.
            lock (_waiting)
            {
                if (!turn.Task.IsCompleted)
                {
                    var rest = _waiting.Where(t => t != turn).ToArray();
                    _waiting.Clear();
                    foreach (var t in rest) _waiting.Enqueue(t);
                    turn.SetCanceled(ct);
                    throw;
                }
            }

            Release();
            throw;
        }
    }
}
