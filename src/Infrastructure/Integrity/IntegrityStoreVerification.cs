using System.Data;
using System.Diagnostics;
using ECase.Application.Integrity;
using ECase.Projections.Cases;
using ECase.Projections.Files;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ECase.Infrastructure.Integrity;

/// <summary>
/// <c>verify all</c>: the whole store in one ordered pass (ADR 0013). Four readers stream the <c>mt_streams</c> rows,
/// chain records, seal leaves and events, all in (stream id, version) order, from one snapshot (four per range of
/// streams, one range per core); each stream is checked as <see cref="VerifyFileAsync"/> checks it, each seal once,
/// each distinct blob once. Only the streams with problems are then placed in their file.
/// </summary>
public sealed partial class IntegrityService
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Streams from <see cref="From"/> (inclusive) to <see cref="To"/> (exclusive) in uuid order; null: open.</summary>
    private sealed record StreamRange(Guid? From, Guid? To)
    {
        public string Condition(string column) =>
            $"{column} IS NOT NULL{(From is { } from ? $" AND {column} >= '{from}'" : "")}{(To is { } to ? $" AND {column} < '{to}'" : "")}";
    }

    /// <summary>What the pass over one range of streams found.</summary>
    private sealed class PassPart
    {
        public int Streams { get; private set; }

        public int FileStreams { get; private set; }

        public long Events { get; private set; }

        public long Unchained { get; private set; }

        public List<StreamResult> Failed { get; set; } = [];

        public Dictionary<string, List<ContentUse>> Uses { get; } = [];

        public List<string> BlobOrder { get; } = [];

        public void Add(StreamResult r)
        {
            Streams++;
            if (r.Kind == "file") FileStreams++;
            Events += r.Events;
            Unchained += r.Unchained;
            if (!r.Intact) Failed.Add(r);
            foreach (var use in r.Contents)
            {
                if (!Uses.TryGetValue(use.Sha256, out var list))
                {
                    Uses[use.Sha256] = list = [];
                    BlobOrder.Add(use.Sha256);
                }

                list.Add(use);
            }
        }

        public void Merge(PassPart other)
        {
            Streams += other.Streams;
            FileStreams += other.FileStreams;
            Events += other.Events;
            Unchained += other.Unchained;
            Failed.AddRange(other.Failed);
            foreach (var sha in other.BlobOrder)
            {
                if (!Uses.TryGetValue(sha, out var list))
                {
                    Uses[sha] = list = [];
                    BlobOrder.Add(sha);
                }

                list.AddRange(other.Uses[sha]);
            }
        }
    }

    public async Task<StoreVerificationReport> VerifyAllAsync(bool content, IProgress<VerificationProgress>? progress, CancellationToken ct)
    {
        await EnsureSchemaAsync(ct);
        var watch = Stopwatch.StartNew();
        var lastReport = TimeSpan.MinValue;
        var gate = new Lock();
        long total = 0, read = 0, bytes = 0;
        int seals, hashed = 0, blobCount = 0;
        void Report(string phase, bool force = false)
        {
            if (progress is null) return;
            lock (gate)
            {
                if (!force && watch.Elapsed - lastReport < ProgressInterval) return;
                lastReport = watch.Elapsed;
                progress.Report(new VerificationProgress(phase, Interlocked.Read(ref read), total, hashed, blobCount, bytes));
            }
        }

        // The streams split into one range per core (up to four), each range its own four readers: the check of a
        // stream is client CPU, and PostgreSQL streams the rows of each range on its own backend.
        var parts = Math.Clamp(Environment.ProcessorCount, 1, 4);
        var sealProblems = new List<IntegrityProblem>();
        PassPart pass;
        await using (var snapshot = await SnapshotAsync(4 * parts, ct))
        {
            var c = snapshot.Connections;
            total = await ScalarAsync<long>(c[0], $"SELECT count(*) FROM {sql.Events}", ct);
            Report("chains", force: true);
            var ranges = await SplitAsync(c[0], parts, ct);
            var found = await Task.WhenAll(ranges.Select((range, i) => Task.Run(
                async () =>
                {
                    var part = new PassPart();
                    await StreamMerge.RunAsync(
                        RowsAsync(c[4 * i], StreamRowsSql($"WHERE {range.Condition("id")}"), ReadStreamRow, ct),
                        RowsAsync(c[(4 * i) + 1], ChainRowsSql($"WHERE {range.Condition("stream_id")}"), ReadChainRow, ct),
                        RowsAsync(c[(4 * i) + 2], LeafRowsSql($"WHERE {range.Condition("stream_id")}"), ReadLeafRow, ct),
                        EventRowsAsync(c[(4 * i) + 3], range.Condition("e.stream_id"), null, render: true, ct),
                        _ => null, content, part.Add,
                        n =>
                        {
                            Interlocked.Add(ref read, n);
                            Report("chains");
                        },
                        ct);
                    return part;
                },
                ct)));
            pass = Combine(found);
            blobCount = pass.BlobOrder.Count;
            if (pass.Failed.Count > 0) pass.Failed = await RecheckAsync(c[0], pass.Failed, ct);
            Report("seals", force: true);
            seals = await CheckSealsAsync(SealRowsAsync(c[0], null, ct), SealLeafRowsAsync(c[1], null, ct), linked: true, sealProblems, ct);
        }

        var bad = new List<(BlobCheck Blob, List<ContentUse> Uses)>();
        var buffer = new byte[256 * 1024];
        foreach (var sha in pass.BlobOrder)
        {
            var blob = await HashBlobAsync(sha, buffer, ct);
            hashed++;
            bytes += blob.Read;
            if (blob.Kind is not null || pass.Uses[sha].Exists(u => u.Size != blob.Read)) bad.Add((blob, pass.Uses[sha]));
            Report("content");
        }

        if (content) Report("content", force: true);
        var (files, other) = await GroupByFileAsync(pass.Failed, bad, ct);
        other.AddRange(sealProblems);
        return new StoreVerificationReport(
            files.Count == 0 && other.Count == 0, pass.FileStreams, pass.Streams, pass.Events, pass.Unchained, seals, pass.BlobOrder.Count, bytes,
            watch.Elapsed.TotalSeconds, files.FirstOrDefault()?.FirstMismatch ?? other.FirstOrDefault(), files, other);
    }

    /// <summary>Up to <paramref name="parts"/> ranges with about as many streams each.</summary>
    private async Task<List<StreamRange>> SplitAsync(NpgsqlConnection conn, int parts, CancellationToken ct)
    {
        var count = await ScalarAsync<long>(conn, $"SELECT count(*) FROM {sql.Streams}", ct);
        var bounds = new List<Guid>();
        for (var i = 1; i < parts; i++)
        {
            await using var cmd = new NpgsqlCommand($"SELECT id FROM {sql.Streams} ORDER BY id OFFSET {count * i / parts} LIMIT 1", conn);
            if (await cmd.ExecuteScalarAsync(ct) is Guid bound && (bounds.Count == 0 || bound != bounds[^1])) bounds.Add(bound);
        }

        return [.. Enumerable.Range(0, bounds.Count + 1).Select(i => new StreamRange(i == 0 ? null : bounds[i - 1], i == bounds.Count ? null : bounds[i]))];
    }

    /// <summary>The ranges' findings in range order, which is stream order: blobs keep the order of their first reference.</summary>
    private static PassPart Combine(PassPart[] parts)
    {
        if (parts.Length == 1) return parts[0];
        var all = new PassPart();
        foreach (var part in parts)
            all.Merge(part);
        return all;
    }

    /// <summary>
    /// The streams that did not match, checked again with the canonical form as PostgreSQL renders it (the chain job
    /// hashed that): the rendering here only makes the common case fast, it never decides a problem.
    /// </summary>
    private async Task<List<StreamResult>> RecheckAsync(NpgsqlConnection conn, List<StreamResult> failed, CancellationToken ct)
    {
        Guid[] ids = [.. failed.Select(f => f.StreamId)];
        var (streamRows, chain, leaves) = await FileRowsAsync(conn, ids, ct);
        var results = new List<StreamResult>();
        await StreamMerge.RunAsync(streamRows.ToAsyncEnumerable(), chain.ToAsyncEnumerable(), leaves.ToAsyncEnumerable(), EventRowsAsync(conn, "e.stream_id = ANY(@ids)", ids, render: false, ct),
            _ => null, content: false, results.Add, null, ct);
        foreach (var r in results.Where(r => r.Intact)) LogRenderingDiffers(logger, r.StreamId);
        return [.. results.Where(r => !r.Intact)];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "verify: stream {StreamId} matches as PostgreSQL renders its events, not as rendered by CanonicalText; please report")]
    private static partial void LogRenderingDiffers(ILogger logger, Guid streamId);

    /// <summary>
    /// Places the streams with problems in their file, and lists each file's problems as <see cref="VerifyFileAsync"/>
    /// does: the file stream, then its cases, events before seal leaves, then blobs.
    /// </summary>
    private async Task<(List<FileProblems> Files, List<IntegrityProblem> Other)> GroupByFileAsync(
        List<StreamResult> failed, List<(BlobCheck Blob, List<ContentUse> Uses)> bad, CancellationToken ct)
    {
        var kinds = new Dictionary<Guid, string>();
        foreach (var r in failed) kinds[r.StreamId] = r.Kind;
        foreach (var use in bad.SelectMany(b => b.Uses)) kinds.TryAdd(use.StreamId, use.StreamKind);
        var fileOf = await FileOfAsync(kinds, ct);

        string KindIn(Guid stream, Guid file) => stream == file ? "file" : "case";
        var groups = new Dictionary<Guid, (List<StreamResult> Streams, List<(BlobCheck, ContentUse)> Uses)>();
        (List<StreamResult>, List<(BlobCheck, ContentUse)>) Group(Guid file) =>
            groups.TryGetValue(file, out var g) ? g : groups[file] = ([], []);
        var otherStreams = new List<StreamResult>();
        var otherUses = new List<(BlobCheck, ContentUse)>();
        foreach (var r in failed)
        {
            if (!fileOf.TryGetValue(r.StreamId, out var file))
            {
                otherStreams.Add(r);
                continue;
            }

            // A stream without a type whose first event is gone is named by its place in the file.
            var kind = KindIn(r.StreamId, file);
            Group(file).Item1.Add(kind == r.Kind ? r : r with
            {
                Kind = kind,
                Problems = [.. r.Problems.Select(p => p with { StreamKind = kind })],
                LeafProblems = [.. r.LeafProblems.Select(p => p with { StreamKind = kind })],
            });
        }

        foreach (var (blob, list) in bad)
        {
            foreach (var use in list)
            {
                if (!fileOf.TryGetValue(use.StreamId, out var file)) otherUses.Add((blob, use));
                else Group(file).Item2.Add((blob, use with { StreamKind = KindIn(use.StreamId, file) }));
            }
        }

        Dictionary<Guid, string> references;
        await using (var session = documents.QuerySession())
            references = (await session.LoadManyAsync<FileOverview>(ct, groups.Keys)).ToDictionary(f => f.Id, f => f.Reference);

        var files = new List<FileProblems>();
        foreach (var (file, (results, blobUses)) in groups)
        {
            var ordered = results.OrderBy(r => r.StreamId == file ? 0 : 1).ThenBy(r => r.StreamId).ToList();
            List<IntegrityProblem> problems = [.. ordered.SelectMany(r => r.Problems), .. ordered.SelectMany(r => r.LeafProblems)];
            problems.AddRange(BlobProblems(blobUses.OrderBy(u => u.Item2.StreamId == file ? 0 : 1).ThenBy(u => u.Item2.StreamId).ThenBy(u => u.Item2.Version)));
            if (problems.Count > 0) files.Add(new FileProblems(file, references.GetValueOrDefault(file), problems[0], problems));
        }

        List<IntegrityProblem> other = [.. otherStreams.SelectMany(r => r.Problems), .. otherStreams.SelectMany(r => r.LeafProblems), .. BlobProblems(otherUses)];
        return ([.. files.OrderBy(f => f.Reference ?? f.FileId.ToString(), StringComparer.Ordinal)], other);
    }

    /// <summary>The first reference to each blob decides, as in the check of one file.</summary>
    private static IEnumerable<IntegrityProblem> BlobProblems(IEnumerable<(BlobCheck Blob, ContentUse Use)> uses) =>
        uses.DistinctBy(u => u.Blob.Sha256).Select(u => BlobProblem(u.Blob, u.Use)).OfType<IntegrityProblem>();

    /// <summary>
    /// The file of each stream: a file stream is its own (also when its first event is gone: it has a file overview); a
    /// case belongs to the file that added it, by the stored file events, the case read model, or its own first event.
    /// </summary>
    private async Task<Dictionary<Guid, Guid>> FileOfAsync(Dictionary<Guid, string> kinds, CancellationToken ct)
    {
        var fileOf = kinds.Where(k => k.Value == "file").ToDictionary(k => k.Key, k => k.Key);
        Guid[] Rest() => [.. kinds.Keys.Where(id => !fileOf.ContainsKey(id))];
        if (Rest().Length == 0) return fileOf;
        await using var session = documents.QuerySession();
        foreach (var f in await session.LoadManyAsync<FileOverview>(ct, Rest())) fileOf[f.Id] = f.Id;
        var rest = Rest();
        if (rest.Length == 0) return fileOf;

        await using var conn = await db.OpenConnectionAsync(ct);
        await using (var cmd = new NpgsqlCommand(
            $"SELECT data->>'CaseId', stream_id FROM {sql.Events} WHERE type = 'case_added_to_file' AND data->>'CaseId' = ANY(@ids) ORDER BY seq_id", conn))
        {
            cmd.Parameters.AddWithValue("ids", rest.Select(id => id.ToString()).ToArray());
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) fileOf.TryAdd(Guid.Parse(reader.GetString(0)), reader.GetGuid(1));
        }

        foreach (var c in await session.Query<CaseDetails>().Where(c => rest.Contains(c.Id)).Select(c => new { c.Id, c.FileId }).ToListAsync(ct))
            fileOf.TryAdd(c.Id, c.FileId);
        await using (var cmd = new NpgsqlCommand($"SELECT stream_id, data->>'FileId' FROM {sql.Events} WHERE stream_id = ANY(@ids) AND type = 'case_opened'", conn))
        {
            cmd.Parameters.AddWithValue("ids", rest);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                if (!reader.IsDBNull(1) && Guid.TryParse(reader.GetString(1), out var file)) fileOf.TryAdd(reader.GetGuid(0), file);
        }

        return fileOf;
    }

    /// <summary>
    /// Connections whose read-only transactions share one snapshot: a chain record committed after the events were read
    /// would otherwise look like a deleted event. Each reader follows its (stream id, version) index: a sort would first
    /// render and sort every row (spilling to disk) before the first one reaches the check.
    /// </summary>
    private async Task<ReadSnapshot> SnapshotAsync(int count, CancellationToken ct)
    {
        var snapshot = new ReadSnapshot();
        try
        {
            string? id = null;
            for (var i = 0; i < count; i++)
            {
                var conn = await db.OpenConnectionAsync(ct);
                snapshot.Connections.Add(conn);
                snapshot.Transactions.Add(await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct));
                await using (var cmd = new NpgsqlCommand(
                    $"SET TRANSACTION READ ONLY; {(id is null ? "" : $"SET TRANSACTION SNAPSHOT '{id}';")} SET LOCAL enable_sort = off", conn))
                {
                    await cmd.ExecuteNonQueryAsync(ct);
                }

                id ??= await ScalarAsync<string>(conn, "SELECT pg_export_snapshot()", ct);
            }

            return snapshot;
        }
        catch
        {
            await snapshot.DisposeAsync();
            throw;
        }
    }

    private sealed class ReadSnapshot : IAsyncDisposable
    {
        public List<NpgsqlConnection> Connections { get; } = [];

        public List<NpgsqlTransaction> Transactions { get; } = [];

        public async ValueTask DisposeAsync()
        {
            foreach (var tx in Transactions) await tx.DisposeAsync();
            foreach (var conn in Connections) await conn.DisposeAsync();
        }
    }
}
