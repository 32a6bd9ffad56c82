using System.Globalization;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ECase.Projections.Search;

public sealed record SearchIndexStatus(
    string Path, long Position, long HighWater, long Lag, int Documents, DateTimeOffset? LastCommitAt, RebuildProgress? Rebuild);

public sealed record RebuildProgress(
    string State, DateTimeOffset StartedAt, long Events, long EventsDone, DateTimeOffset? FinishedAt, string? Error);

public sealed class SearchIndexInUseException(string root, Exception inner)
    : Exception($"The search index at {root} is in use by another process (see {root}/owner.lock).", inner);

public sealed class RebuildAlreadyRunningException() : Exception("A rebuild of the search index is already running.");

/// <summary>
/// Owns the live index: opens it at start-up, feeds it from the event log in committed batches (see
/// <see cref="SearchIndexer"/>), and rebuilds it from the events into a fresh folder that is swapped in without downtime.
/// The folder <c>{Path}/current</c> names the live index directory; anything else under <c>Path</c> is a leftover.
/// </summary>
public sealed class SearchIndexHost(
    IOptions<SearchOptions> options, IDocumentStore store, ISearchTextSource texts, TimeProvider clock, ILogger<SearchIndexHost> log)
    : IDisposable
{
    private readonly SearchOptions _options = options.Value;
    private readonly SearchProjector _projector = new(texts);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _openLock = new();
    private readonly SearchService _service = new(options.Value.MaxConcurrentSearches);
    private SearchIndex? _current;
    private RebuildProgress? _rebuild;
    private System.IO.FileStream? _processLock;
    private int _rebuilding;

    public string Root => System.IO.Path.GetFullPath(_options.Path);

    public SearchService Service => _service;

    /// <summary>The live index, opened on first use.</summary>
    public SearchIndex Current
    {
        get
        {
            if (_current is { } current) return current;
            lock (_openLock) return _current ??= OpenLive();
        }
    }

    public RebuildProgress? Rebuild => _rebuild;

    /// <summary>Runs a search on the live index; a rebuild swapping it meanwhile does not disturb the search.</summary>
    public SearchResult Search(SearchRequest request) => WithLive(index => _service.Search(index, request));

    /// <summary>As <see cref="Search"/>, waiting for a free search slot without holding a thread.</summary>
    public async Task<SearchResult> SearchAsync(SearchRequest request, CancellationToken ct)
    {
        while (true)
        {
            var index = Current;
            if (!index.TryLease()) continue;
            try
            {
                return await _service.SearchAsync(index, request, ct);
            }
            finally
            {
                index.Return();
            }
        }
    }

    /// <summary>Reads the live index, keeping it open even if a rebuild swaps it out meanwhile.</summary>
    private T WithLive<T>(Func<SearchIndex, T> read)
    {
        while (true)
        {
            var index = Current;
            if (!index.TryLease()) continue;
            try
            {
                return read(index);
            }
            finally
            {
                index.Return();
            }
        }
    }

    /// <summary>One batch for the live index: applies new events and commits. Returns the number of events read.</summary>
    public async Task<int> IndexNextBatchAsync(GapTracker gaps, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            var index = Current;
            try
            {
                return await ProcessBatchAsync(index, gaps, ct);
            }
            catch
            {
                // Whatever was put since the last commit is dropped, as after a crash; the next batch starts from the commit.
                lock (_openLock)
                {
                    index.Rollback();
                    _current = new SearchIndex(index.Path);
                }

                throw;
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Applies the events after the index's position, up to a hole that is still young, and commits.</summary>
    private async Task<int> ProcessBatchAsync(SearchIndex index, GapTracker gaps, CancellationToken ct)
    {
        var from = index.Position;
        IReadOnlyList<IEvent> events;
        await using (var session = store.QuerySession())
        {
            events = await session.Events.QueryAllRawEvents()
                .Where(e => e.Sequence > from).OrderBy(e => e.Sequence).Take(_options.BatchSize).ToListAsync(ct);
        }

        var last = from;
        foreach (var e in events)
        {
            if (e.Sequence != last + 1)
            {
                var open = gaps.Seen(last + 1, clock.GetUtcNow());
                if (open < _options.GapTimeout) break;
                log.LogInformation("Search index: events {From}..{To} did not appear within {Wait}; moving on (applied late if they do)", last + 1, e.Sequence - 1, open);
                for (var s = last + 1; s < e.Sequence; s++) gaps.Skip(s, clock.GetUtcNow());
            }

            if (SearchProjector.Concerns(e.Data)) await _projector.ApplyAsync(index, e, ct);
            last = e.Sequence;
        }

        var late = await ApplyLateAsync(index, gaps, ct);
        if (last > from || late > 0) index.Commit(last);
        return events.Count;
    }

    /// <summary>Events from holes skipped earlier that have since appeared (a transaction that committed very late).</summary>
    private async Task<int> ApplyLateAsync(SearchIndex index, GapTracker gaps, CancellationToken ct)
    {
        var skipped = gaps.DueForRecheck(clock.GetUtcNow());
        if (skipped.Count == 0) return 0;
        IReadOnlyList<IEvent> found;
        await using (var session = store.QuerySession())
        {
            found = await session.Events.QueryAllRawEvents().Where(e => skipped.Contains(e.Sequence)).OrderBy(e => e.Sequence).ToListAsync(ct);
        }

        foreach (var e in found)
        {
            log.LogWarning("Search index: event {Sequence} committed late; applying it now", e.Sequence);
            if (SearchProjector.Concerns(e.Data)) await _projector.ApplyAsync(index, e, ct);
            gaps.Filled(e.Sequence);
        }

        return found.Count;
    }

    public async Task<long> HighWaterAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Select(e => e.Sequence).FirstOrDefaultAsync(ct);
    }

    public async Task<SearchIndexStatus> StatusAsync(CancellationToken ct)
    {
        var high = await HighWaterAsync(ct);
        return WithLive(index => new SearchIndexStatus(
            index.Path, index.Position, high, Math.Max(0, high - index.Position), index.DocumentCount, index.LastCommitAt, _rebuild));
    }

    /// <summary>Waits until the live index holds every event up to <paramref name="sequence"/>.</summary>
    public async Task WaitForAsync(long sequence, TimeSpan timeout, CancellationToken ct = default)
    {
        var deadline = clock.GetUtcNow() + timeout;
        while (Current.Position < sequence)
        {
            if (clock.GetUtcNow() > deadline) throw new TimeoutException($"the search index did not reach event {sequence} (at {Current.Position})");
            await Task.Delay(20, ct);
        }
    }

    /// <summary>
    /// Builds a new index from all events in a fresh folder while the live one keeps serving and updating, compacts it
    /// (<see cref="SearchIndex.Compact"/>); then, for the moment of the swap, holds the live indexer, catches up to the
    /// head of the log and swaps the folders.
    /// </summary>
    public async Task RebuildAsync(CancellationToken ct)
    {
        if (Interlocked.CompareExchange(ref _rebuilding, 1, 0) != 0) throw new RebuildAlreadyRunningException();
        var started = clock.GetUtcNow();
        _rebuild = new RebuildProgress("running", started, 0, 0, null, null);
        var fresh = new SearchIndex(System.IO.Path.Combine(Root, NewDirectoryName()));
        try
        {
            var total = await HighWaterAsync(ct);
            _rebuild = _rebuild with { Events = total };
            log.LogInformation("Search index rebuild into {Path}: {Events} events", fresh.Path, total);
            var gaps = new GapTracker();
            await CatchUpAsync(fresh, total, gaps, p => _rebuild = _rebuild with { EventsDone = p }, ct);
            log.LogInformation("Search index rebuild: {Documents} documents up to event {Position}; compacting", fresh.DocumentCount, fresh.Position);
            await Task.Run(fresh.Compact, ct);

            await _writeLock.WaitAsync(ct);
            try
            {
                await CatchUpAsync(fresh, await HighWaterAsync(ct), gaps, _ => { }, ct);
                SwapIn(fresh);
            }
            finally
            {
                _writeLock.Release();
            }

            _rebuild = _rebuild with { State = "completed", EventsDone = fresh.Position, FinishedAt = clock.GetUtcNow() };
            log.LogInformation("Search index rebuilt: {Documents} documents up to event {Position} in {Seconds:F1} s",
                fresh.DocumentCount, fresh.Position, (clock.GetUtcNow() - started).TotalSeconds);
        }
        catch (Exception e)
        {
            _rebuild = _rebuild with
            {
                State = "failed",
                FinishedAt = clock.GetUtcNow(),
                Error = e.Message,
            };
            if (!ReferenceEquals(_current, fresh))
            {
                fresh.Dispose();
                TryDelete(fresh.Path);
            }

            throw;
        }
        finally
        {
            Interlocked.Exchange(ref _rebuilding, 0);
        }
    }

    private async Task CatchUpAsync(SearchIndex index, long target, GapTracker gaps, Action<long> progress, CancellationToken ct)
    {
        while (index.Position < target)
        {
            var read = await ProcessBatchAsync(index, gaps, ct);
            progress(index.Position);
            if (read == 0 || index.Position < target && read < _options.BatchSize) await Task.Delay(_options.PollInterval, ct);
        }
    }

    private void SwapIn(SearchIndex fresh)
    {
        SearchIndex? old;
        lock (_openLock)
        {
            WritePointer(System.IO.Path.GetFileName(fresh.Path));
            old = _current;
            _current = fresh;
        }

        if (old is null) return;
        old.Retire();
        TryDelete(old.Path);
    }

    private SearchIndex OpenLive()
    {
        System.IO.Directory.CreateDirectory(Root);
        _processLock ??= LockRoot();
        var pointer = System.IO.Path.Combine(Root, "current");
        var name = System.IO.File.Exists(pointer) ? System.IO.File.ReadAllText(pointer).Trim() : null;
        if (name is null || name.Contains('/') || name.Contains("..", StringComparison.Ordinal) || !System.IO.Directory.Exists(System.IO.Path.Combine(Root, name)))
        {
            name = NewDirectoryName();
            log.LogInformation("Search index: none at {Root}; building {Name} from the events", Root, name);
            WritePointer(name);
        }

        var index = new SearchIndex(System.IO.Path.Combine(Root, name));
        if (index.IndexFormat != SearchIndex.Format)
        {
            log.LogWarning("Search index {Name} has format {Old}, this version writes {New}: building a new one from the events", name, index.IndexFormat, SearchIndex.Format);
            index.Dispose();
            name = NewDirectoryName();
            WritePointer(name);
            index = new SearchIndex(System.IO.Path.Combine(Root, name));
        }

        foreach (var stale in System.IO.Directory.GetDirectories(Root).Where(d => System.IO.Path.GetFileName(d) != name))
        {
            TryDelete(stale);
        }

        return index;
    }

    /// <summary>
    /// One process owns the index folder (Lucene's own lock does not hold across processes here): a second server on
    /// the same folder, or the rebuild command while the server runs, fails at once instead of swapping folders under it.
    /// </summary>
    private System.IO.FileStream LockRoot()
    {
        var path = System.IO.Path.Combine(Root, "owner.lock");
        try
        {
            var stream = new System.IO.FileStream(path, System.IO.FileMode.OpenOrCreate, System.IO.FileAccess.ReadWrite, System.IO.FileShare.None);
            stream.SetLength(0);
            var owner = System.Text.Encoding.UTF8.GetBytes($"{Environment.ProcessId} {Environment.MachineName}\n");
            stream.Write(owner);
            stream.Flush();
            return stream;
        }
        catch (System.IO.IOException e)
        {
            throw new SearchIndexInUseException(Root, e);
        }
    }

    private void WritePointer(string name)
    {
        var pointer = System.IO.Path.Combine(Root, "current");
        var temp = pointer + ".tmp";
        System.IO.File.WriteAllText(temp, name);
        System.IO.File.Move(temp, pointer, overwrite: true);
    }

    private string NewDirectoryName() =>
        "index-" + clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];

    private void TryDelete(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path)) System.IO.Directory.Delete(path, recursive: true);
        }
        catch (System.IO.IOException e)
        {
            log.LogWarning(e, "Search index: could not delete {Path}", path);
        }
    }

    public void Dispose()
    {
        lock (_openLock)
        {
            _current?.Dispose();
            _current = null;
            _processLock?.Dispose();
            _processLock = null;
        }

        _writeLock.Dispose();
    }
}

/// <summary>Holes in the event sequence: when each was first seen, and which were skipped and are checked again later.</summary>
public sealed class GapTracker
{
    private static readonly TimeSpan RecheckFor = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RecheckEvery = TimeSpan.FromSeconds(5);
    private readonly Dictionary<long, DateTimeOffset> _firstSeen = [];
    private readonly Dictionary<long, DateTimeOffset> _skipped = [];
    private DateTimeOffset _lastRecheck;

    public TimeSpan Seen(long sequence, DateTimeOffset now)
    {
        if (!_firstSeen.TryGetValue(sequence, out var first)) _firstSeen[sequence] = first = now;
        foreach (var old in _firstSeen.Keys.Where(k => k < sequence).ToList()) _firstSeen.Remove(old);
        return now - first;
    }

    public void Skip(long sequence, DateTimeOffset now)
    {
        _firstSeen.Remove(sequence);
        _skipped[sequence] = now;
    }

    public void Filled(long sequence) => _skipped.Remove(sequence);

    public IReadOnlyCollection<long> DueForRecheck(DateTimeOffset now)
    {
        if (_skipped.Count == 0 || now - _lastRecheck < RecheckEvery) return [];
        _lastRecheck = now;
        foreach (var (sequence, at) in _skipped.Where(s => now - s.Value > RecheckFor).ToList()) _skipped.Remove(sequence);
        return [.. _skipped.Keys];
    }
}
