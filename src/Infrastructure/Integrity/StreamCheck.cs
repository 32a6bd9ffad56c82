using System.Text.Json;
using ECase.Application.Integrity;
using ECase.Domain.Integrity;

namespace ECase.Infrastructure.Integrity;

/// <summary>A stored event with its canonical form (UTF-8), as <c>verify</c> reads it.</summary>
internal sealed record EventRow(Guid StreamId, long Version, long Sequence, Guid Id, string Type, byte[] Canonical);

internal sealed record ChainRow(Guid StreamId, long Version, long Sequence, Guid EventId, byte[] Hash);

/// <summary>A row of <c>mt_streams</c>; <see cref="Version"/> -1 when it has none.</summary>
internal sealed record StreamRow(Guid StreamId, string? Type, long Version);

internal sealed record LeafRow(Guid StreamId, long SealId, int Index, long Version, byte[] Hash);

/// <summary>One event's reference to a content blob.</summary>
internal sealed record ContentUse(string Sha256, long Size, Guid StreamId, string StreamKind, long Version, long Sequence, Guid EventId, string EventType)
{
    public IntegrityProblem Problem(string kind, string detail) => new(kind, StreamId, StreamKind, Version, Sequence, EventId, EventType, Sha256, detail);
}

/// <summary>What the check of one stream found. <see cref="LeafProblems"/> are those of its seal leaves, listed after the event problems.</summary>
internal sealed record StreamResult(
    Guid StreamId, string Kind, int Events, int Unchained, ChainHead? Head, IReadOnlyList<IntegrityProblem> Problems,
    IReadOnlyList<IntegrityProblem> LeafProblems, IReadOnlyList<ContentUse> Contents, IReadOnlyList<long> SealIds)
{
    public bool Intact => Problems.Count == 0 && LeafProblems.Count == 0;
}

/// <summary>
/// The check of one stream (ADR 0013), shared by <c>verify</c> of one file and of the whole store. It gets the stream's
/// chain records and seal leaves first, then its stored events in version order, one at a time (a stream is never held
/// in memory): it recomputes the chain and compares it version by version with the records, and compares the chain
/// recomputed from the rows alone with every seal leaf of the stream.
/// </summary>
internal sealed class StreamCheck
{
    private readonly Guid _streamId;
    private readonly string? _kind;
    private readonly bool _content;
    private readonly List<ChainRow> _chain;
    private readonly Dictionary<long, ChainRow> _chainAt;
    private readonly Dictionary<Guid, long> _chainedIds;
    private readonly long _lastChained;
    private readonly List<LeafRow> _leaves;

    /// <summary>At each sealed version: the chain recomputed from the rows alone (null once a version is missing) and the row.</summary>
    private readonly Dictionary<long, (byte[]? Pure, EventRow? Row)> _atLeaf = [];
    private readonly HashSet<long> _leafVersions;
    private readonly List<IntegrityProblem> _problems = [];
    private readonly List<ContentUse> _contents = [];
    private bool _destroyed;
    private byte[] _previous = ChainHash.Genesis;
    private byte[]? _pure;
    private long _next = 1;
    private long _lastRowVersion;
    private int _events;
    private int _unchained;
    private string? _firstEventType;

    /// <param name="kind"><c>file</c> or <c>case</c> when the caller knows; null: from the stream's type or first event.</param>
    /// <param name="chain">The stream's chain records in version order.</param>
    /// <param name="leaves">The stream's seal leaves in seal order.</param>
    public StreamCheck(Guid streamId, string? kind, List<ChainRow> chain, List<LeafRow> leaves, bool content)
    {
        _streamId = streamId;
        _kind = kind;
        _content = content;
        _chain = chain;
        _chainAt = new Dictionary<long, ChainRow>(chain.Count);
        _chainedIds = new Dictionary<Guid, long>(chain.Count);
        foreach (var c in chain)
        {
            _chainAt.TryAdd(c.Version, c);
            _chainedIds.TryAdd(c.EventId, c.Version);
        }

        _lastChained = chain.Count == 0 ? 0 : chain[^1].Version;
        _leaves = leaves;
        _leafVersions = [.. leaves.Select(l => l.Version)];
        _pure = _previous;
    }

    /// <summary>The next stored event of the stream, in version order.</summary>
    public void Add(EventRow row)
    {
        _events++;
        _firstEventType ??= row.Type;
        _lastRowVersion = Math.Max(_lastRowVersion, row.Version);
        if (_content) CollectContent(row);
        // Disposal (ADR 0018) deletes the stream's blobs on purpose once it records FileDestroyed: they are not missing.
        if (row.Type == "file_destroyed") _destroyed = true;
        // A version below 1 or a second row at a version is not part of the chain (Marten's unique index normally prevents both).
        if (row.Version < _next) return;
        while (_next < row.Version) Missing(_next++);
        Present(row);
        _next = row.Version + 1;
    }

    public StreamResult Finish(StreamRow? stream)
    {
        var last = Math.Max(_lastRowVersion, _lastChained);
        while (_next <= last) Missing(_next++);

        var sv = stream?.Version ?? -1;
        if (sv != last && (sv != -1 || last != 0))
            _problems.Add(Problem("stream-version-mismatch", sv, null, null, $"the stream says version {sv}, its events and chain reach version {last}"));

        var leafProblems = new List<IntegrityProblem>();
        foreach (var leaf in _leaves)
        {
            if (leaf.Version > last)
            {
                leafProblems.Add(Problem("event-missing", leaf.Version, null, null,
                    $"seal {leaf.SealId} sealed the stream at version {leaf.Version}; it now ends at version {last}"));
            }
            else if (!_atLeaf.TryGetValue(leaf.Version, out var at) || at.Pure is null || !at.Pure.AsSpan().SequenceEqual(leaf.Hash))
            {
                leafProblems.Add(Problem("seal-leaf-mismatch", leaf.Version, at.Row, null,
                    at.Pure is null
                        ? $"seal {leaf.SealId} sealed version {leaf.Version}; the stored events no longer reach it from the start"
                        : $"seal {leaf.SealId} sealed version {leaf.Version} with another hash: the stream's history up to that version changed"));
            }
        }

        var kind = _kind ?? KindOf(stream?.Type, _firstEventType);
        var problems = _problems;
        var contents = _destroyed ? [] : _contents;
        if (_kind is null && (problems.Count > 0 || leafProblems.Count > 0 || contents.Count > 0))
        {
            problems = [.. problems.Select(p => p with { StreamKind = kind })];
            leafProblems = [.. leafProblems.Select(p => p with { StreamKind = kind })];
            contents = [.. contents.Select(c => c with { StreamKind = kind })];
        }

        var head = _chain.Count == 0 ? null : new ChainHead(_streamId, kind, _chain[^1].Version, Convert.ToHexStringLower(_chain[^1].Hash));
        return new StreamResult(_streamId, kind, _events, _unchained, head, problems, leafProblems, contents, [.. _leaves.Select(l => l.SealId).Distinct()]);
    }

    /// <summary><c>file</c>, <c>case</c>, or the stream's type (e.g. <c>file_plan_unit</c>) for other streams.</summary>
    public static string KindOf(string? streamType, string? firstEventType) => (streamType, firstEventType) switch
    {
        ({ Length: > 0 } type, _) => type,
        (_, "file_opened") => "file",
        (_, "case_opened") => "case",
        _ => "stream",
    };

    private void Missing(long v)
    {
        _pure = null;
        _chainAt.TryGetValue(v, out var record);
        _problems.Add(Problem("event-missing", v, null, record,
            record is null ? $"version {v} of the stream has no event and no chain record" : $"event {record.EventId} (sequence {record.Sequence}) was chained but is no longer stored"));
        _previous = record?.Hash ?? _previous;
    }

    private void Present(EventRow row)
    {
        var v = row.Version;
        var hash = ChainHash.Next(_previous, row.Canonical);
        // While nothing differed, the chain from the rows alone is the same chain: hash once.
        if (_pure is not null) _pure = ReferenceEquals(_pure, _previous) ? hash : ChainHash.Next(_pure, row.Canonical);
        if (_leafVersions.Contains(v)) _atLeaf[v] = (_pure, row);

        if (!_chainAt.TryGetValue(v, out var record))
        {
            // Events after the last chained one are simply not chained yet; an unchained event before it was slipped in.
            if (v > _lastChained) _unchained++;
            else _problems.Add(Problem("event-not-in-chain", v, row, null, $"event {row.Id} at version {v} is stored but was never chained"));
        }
        else if (!hash.AsSpan().SequenceEqual(record.Hash))
        {
            _problems.Add(row.Id != record.EventId
                ? _chainedIds.TryGetValue(row.Id, out var chainedAt)
                    ? Problem("event-reordered", v, row, record, $"event {row.Id} was chained at version {chainedAt}, now stored at version {v}")
                    : Problem("event-replaced", v, row, record, $"the chain recorded event {record.EventId} at version {v}; the store holds {row.Id}")
                : Problem("event-altered", v, row, record, $"{row.Type} at version {v} (sequence {row.Sequence}) does not match its chain hash: its stored type, data or metadata changed"));
            hash = record.Hash;
        }

        _previous = hash;
    }

    private IntegrityProblem Problem(string problemKind, long version, EventRow? row, ChainRow? record, string detail) =>
        new(problemKind, _streamId, _kind ?? "", version, row?.Sequence ?? record?.Sequence, row?.Id ?? record?.EventId, row?.Type, null, detail);

    /// <summary>Every content reference (an object with <c>Sha256</c> and <c>Size</c>) in the event's data.</summary>
    private void CollectContent(EventRow row)
    {
        if (row.Canonical.AsSpan().IndexOf("\"Sha256\""u8) < 0) return;
        using var json = JsonDocument.Parse(row.Canonical);
        foreach (var (sha, size) in Application.Content.EventContent.Refs(json.RootElement[json.RootElement.GetArrayLength() - 1]))
            _contents.Add(new ContentUse(sha, size, _streamId, _kind ?? "", row.Version, row.Sequence, row.Id, row.Type));
    }
}

/// <summary>
/// Feeds <see cref="StreamCheck"/> from four sources ordered by stream id (and version or seal), in PostgreSQL's uuid
/// order: each stream's <c>mt_streams</c> row, chain records and seal leaves, then its events one by one.
/// </summary>
internal static class StreamMerge
{
    /// <summary>PostgreSQL orders uuids by their 16 bytes in RFC 4122 (big-endian) order; <see cref="Guid.CompareTo(Guid)"/> does not.</summary>
    public static int Compare(Guid a, Guid b)
    {
        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        a.TryWriteBytes(x, bigEndian: true, out _);
        b.TryWriteBytes(y, bigEndian: true, out _);
        return x.SequenceCompareTo(y);
    }

    /// <param name="kindOf">The stream's kind if the caller knows it (see <see cref="StreamCheck"/>).</param>
    /// <param name="done">Called with each stream's result, in stream order.</param>
    /// <param name="eventsRead">Called every 4096 events, and at the end, with the number of events read since the last call.</param>
    public static async Task RunAsync(
        IAsyncEnumerable<StreamRow> streams, IAsyncEnumerable<ChainRow> chain, IAsyncEnumerable<LeafRow> leaves, IAsyncEnumerable<EventRow> events,
        Func<Guid, string?> kindOf, bool content, Action<StreamResult> done, Action<int>? eventsRead, CancellationToken ct)
    {
        await using var s = new Cursor<StreamRow>(streams, r => r.StreamId, ct);
        await using var c = new Cursor<ChainRow>(chain, r => r.StreamId, ct);
        await using var l = new Cursor<LeafRow>(leaves, r => r.StreamId, ct);
        await using var e = new Cursor<EventRow>(events, r => r.StreamId, ct);
        await s.MoveAsync(null);
        await c.MoveAsync(null);
        await l.MoveAsync(null);
        await e.MoveAsync(null);
        var read = 0;
        while (s.Has || c.Has || l.Has || e.Has)
        {
            var stream = Min(Min(Min(Min(null, s), c), l), e)!.Value;
            var row = (await s.TakeAsync(stream)).FirstOrDefault();
            var check = new StreamCheck(stream, kindOf(stream), await c.TakeAsync(stream), await l.TakeAsync(stream), content);
            while (e.Has && e.Key == stream)
            {
                check.Add(e.Current);
                if (++read == 4096)
                {
                    eventsRead?.Invoke(read);
                    read = 0;
                }

                await e.MoveAsync(stream);
            }

            done(check.Finish(row));
        }

        eventsRead?.Invoke(read);
    }

    private static Guid? Min<T>(Guid? min, Cursor<T> cursor) where T : class =>
        !cursor.Has ? min : min is null || Compare(cursor.Key, min.Value) < 0 ? cursor.Key : min;

    private sealed class Cursor<T>(IAsyncEnumerable<T> source, Func<T, Guid> key, CancellationToken ct) : IAsyncDisposable
        where T : class
    {
        private readonly IAsyncEnumerator<T> _rows = source.GetAsyncEnumerator(ct);

        public bool Has { get; private set; }

        public T Current => _rows.Current;

        public Guid Key => key(_rows.Current);

        /// <summary>Moves on; a row of a stream before <paramref name="after"/> means the source is not in uuid order, and the check would be wrong.</summary>
        public async ValueTask MoveAsync(Guid? after)
        {
            Has = await _rows.MoveNextAsync();
            if (Has && after is { } a && Compare(Key, a) < 0)
                throw new InvalidOperationException($"{typeof(T).Name}s are not in stream order: {Key} after {a}");
        }

        public async ValueTask<List<T>> TakeAsync(Guid stream)
        {
            var rows = new List<T>();
            while (Has && Key == stream)
            {
                rows.Add(Current);
                await MoveAsync(stream);
            }

            return rows;
        }

        public ValueTask DisposeAsync() => _rows.DisposeAsync();
    }
}
