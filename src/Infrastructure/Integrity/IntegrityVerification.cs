using System.Diagnostics;
using System.Runtime.CompilerServices;
using ECase.Application.Content;
using ECase.Application.Integrity;
using ECase.Domain.Integrity;
using ECase.Projections.Cases;
using ECase.Projections.Files;
using Marten;
using Npgsql;

namespace ECase.Infrastructure.Integrity;

public sealed partial class IntegrityService
{
    private sealed record LeafRecord(long SealId, int Index, long Version, byte[] Hash);

    private sealed record SealRow(SealInfo Info, byte[] Root, byte[]? PreviousRoot);

    private sealed record SealLeafRow(long SealId, int Index, SealLeaf Leaf);

    /// <summary>A blob read to its end (<see cref="Read"/> bytes), or the problem that stopped it.</summary>
    private sealed record BlobCheck(string Sha256, long Read, string? Kind, string? Detail);

    public async Task<VerificationReport?> VerifyFileAsync(Guid fileId, CancellationToken ct)
    {
        await EnsureSchemaAsync(ct);
        var watch = Stopwatch.StartNew();
        await using var conn = await db.OpenConnectionAsync(ct);
        var streams = await StreamsOfAsync(conn, fileId, ct);
        if (streams is null) return null;

        Guid[] ids = [.. streams.Select(s => s.Id)];
        var kinds = streams.ToDictionary(s => s.Id, s => s.Kind);
        var results = new Dictionary<Guid, StreamResult>();
        var (streamRows, chain, leaves) = await FileRowsAsync(conn, ids, ct);
        await StreamMerge.RunAsync(streamRows.ToAsyncEnumerable(), chain.ToAsyncEnumerable(), leaves.ToAsyncEnumerable(), EventRowsAsync(conn, "e.stream_id = ANY(@ids)", ids, render: false, ct),
            id => kinds[id], content: true, r => results[r.StreamId] = r, null, ct);
        var checks = streams.Select(s => results.GetValueOrDefault(s.Id) ?? new StreamCheck(s.Id, s.Kind, [], [], false).Finish(null)).ToList();

        // Problems come in the order found: the file stream, then each case, each by version; the first names the first event that does not match.
        List<IntegrityProblem> problems = [.. checks.SelectMany(c => c.Problems), .. checks.SelectMany(c => c.LeafProblems)];
        long[] sealIds = [.. checks.SelectMany(c => c.SealIds).Distinct().Order()];
        if (sealIds.Length > 0)
        {
            var seals = await SealRowsAsync(conn, sealIds, ct).ToListAsync(ct);
            await CheckSealsAsync(seals.ToAsyncEnumerable(), SealLeafRowsAsync(conn, sealIds, ct), linked: false, problems, ct);
        }

        var (blobs, bytes) = await VerifyBlobsAsync(checks, problems, ct);
        return new VerificationReport(
            fileId, await ReferenceAsync(fileId, ct), problems.Count == 0, checks.Count, checks.Sum(c => c.Events), checks.Sum(c => c.Unchained), sealIds.Length,
            blobs, bytes, watch.Elapsed.TotalSeconds, problems.FirstOrDefault(), problems, [.. checks.Select(c => c.Head).OfType<ChainHead>()]);
    }

    /// <summary>The file stream and its case streams: cases named by the stored file events and by the case read model.</summary>
    private async Task<List<(Guid Id, string Kind)>?> StreamsOfAsync(NpgsqlConnection conn, Guid fileId, CancellationToken ct)
    {
        var exists = await ScalarAsync<bool>(conn, $"SELECT EXISTS (SELECT 1 FROM {sql.Streams} WHERE id = '{fileId}') OR EXISTS (SELECT 1 FROM {sql.Chain} WHERE stream_id = '{fileId}')", ct);
        if (!exists) return null;
        var cases = new HashSet<Guid>();
        await using (var cmd = new NpgsqlCommand($"SELECT data->>'CaseId' FROM {sql.Events} WHERE stream_id = @f AND type = 'case_added_to_file'", conn))
        {
            cmd.Parameters.AddWithValue("f", fileId);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                if (!reader.IsDBNull(0) && Guid.TryParse(reader.GetString(0), out var id)) cases.Add(id);
        }

        await using (var session = documents.QuerySession())
            cases.UnionWith(await session.Query<CaseDetails>().Where(c => c.FileId == fileId).Select(c => c.Id).ToListAsync(ct));
        cases.Remove(fileId);
        return [(fileId, "file"), .. cases.Order().Select(c => (c, "case"))];
    }

    private async Task<string?> ReferenceAsync(Guid fileId, CancellationToken ct)
    {
        await using var session = documents.QuerySession();
        return (await session.LoadAsync<FileOverview>(fileId, ct))?.Reference;
    }

    /// <summary>The <c>mt_streams</c> rows, chain records and seal leaves of a few streams, in one round trip.</summary>
    private async Task<(List<StreamRow>, List<ChainRow>, List<LeafRow>)> FileRowsAsync(NpgsqlConnection conn, Guid[] ids, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(StreamRowsSql("WHERE id = ANY(@ids)")) { Parameters = { new("ids", ids) } },
                new NpgsqlBatchCommand(ChainRowsSql("WHERE stream_id = ANY(@ids)")) { Parameters = { new("ids", ids) } },
                new NpgsqlBatchCommand(LeafRowsSql("WHERE stream_id = ANY(@ids)")) { Parameters = { new("ids", ids) } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        List<StreamRow> streams = [];
        while (await reader.ReadAsync(ct)) streams.Add(ReadStreamRow(reader));
        await reader.NextResultAsync(ct);
        List<ChainRow> chain = [];
        while (await reader.ReadAsync(ct)) chain.Add(ReadChainRow(reader));
        await reader.NextResultAsync(ct);
        List<LeafRow> leaves = [];
        while (await reader.ReadAsync(ct)) leaves.Add(ReadLeafRow(reader));
        return (streams, chain, leaves);
    }

    // ---------------------------------------------------------------- ordered readers (by stream id in uuid order, then version or seal)

    private string StreamRowsSql(string where) => $"SELECT id, type, coalesce(version, -1) FROM {sql.Streams} {where} ORDER BY id";

    private string ChainRowsSql(string where) => $"SELECT stream_id, version, seq_id, event_id, hash FROM {sql.Chain} {where} ORDER BY stream_id, version";

    private string LeafRowsSql(string where) => $"SELECT stream_id, seal_id, leaf_index, version, hash FROM {sql.Leaves} {where} ORDER BY stream_id, seal_id, leaf_index";

    private static StreamRow ReadStreamRow(NpgsqlDataReader r) => new(r.GetGuid(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2));

    private static ChainRow ReadChainRow(NpgsqlDataReader r) => new(r.GetGuid(0), r.GetInt64(1), r.GetInt64(2), r.GetGuid(3), r.GetFieldValue<byte[]>(4));

    private static LeafRow ReadLeafRow(NpgsqlDataReader r) => new(r.GetGuid(0), r.GetInt64(1), r.GetInt32(2), r.GetInt64(3), r.GetFieldValue<byte[]>(4));

    /// <summary>
    /// The events matching <paramref name="condition"/> (on <c>e</c>; <c>@ids</c> is <paramref name="ids"/>), ordered by
    /// stream and version, with their canonical form as UTF-8: rendered by PostgreSQL, or with <paramref name="render"/>
    /// from the columns here (<see cref="CanonicalText"/>).
    /// </summary>
    private async IAsyncEnumerable<EventRow> EventRowsAsync(
        NpgsqlConnection conn, string condition, Guid[]? ids, bool render, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"SELECT e.stream_id, e.version, e.seq_id, e.id, e.type, {(render ? "e.mt_dotnet_type, e.tenant_id, e.timestamp, e.data" : $"convert_to({sql.Canonical}, 'UTF8')")} "
            + $"FROM {sql.Events} e WHERE {condition} ORDER BY e.stream_id, e.version", conn);
        if (ids is not null) cmd.Parameters.AddWithValue("ids", ids);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (stream, version, sequence, id, type) = (reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetGuid(3), reader.GetString(4));
            var canonical = render
                ? CanonicalText.Render(sequence, id, stream, version, type, reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                    reader.GetFieldValue<DateTime>(7), reader.GetFieldValue<byte[]>(8))
                : reader.GetFieldValue<byte[]>(5);
            yield return new EventRow(stream, version, sequence, id, type, canonical);
        }
    }

    private static async IAsyncEnumerable<T> RowsAsync<T>(NpgsqlConnection conn, string text, Func<NpgsqlDataReader, T> read, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(text, conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return read(reader);
    }

    private async IAsyncEnumerable<SealRow> SealRowsAsync(NpgsqlConnection conn, long[]? ids, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"SELECT id, sealed_at, chain_through, leaf_count, root, previous_root, statement, signature FROM {sql.Seals} {(ids is null ? "" : "WHERE id = ANY(@ids)")} ORDER BY id", conn);
        if (ids is not null) cmd.Parameters.AddWithValue("ids", ids);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return ReadSeal(reader);
    }

    private static SealRow ReadSeal(NpgsqlDataReader r)
    {
        var root = r.GetFieldValue<byte[]>(4);
        var previous = r.IsDBNull(5) ? null : r.GetFieldValue<byte[]>(5);
        var info = new SealInfo(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetInt64(2), r.GetInt32(3), Convert.ToHexStringLower(root),
            previous is null ? null : Convert.ToHexStringLower(previous), r.GetString(6), Convert.ToBase64String(r.GetFieldValue<byte[]>(7)));
        return new SealRow(info, root, previous);
    }

    private async IAsyncEnumerable<SealLeafRow> SealLeafRowsAsync(NpgsqlConnection conn, long[]? ids, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"SELECT seal_id, leaf_index, stream_id, version, hash FROM {sql.Leaves} {(ids is null ? "" : "WHERE seal_id = ANY(@ids)")} ORDER BY seal_id, leaf_index", conn);
        if (ids is not null) cmd.Parameters.AddWithValue("ids", ids);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            yield return new SealLeafRow(reader.GetInt64(0), reader.GetInt32(1), new SealLeaf(reader.GetGuid(2), reader.GetInt64(3), reader.GetFieldValue<byte[]>(4)));
    }

    // ---------------------------------------------------------------- seals

    /// <summary>
    /// Each seal once: its root from its leaves, its leaf count, its statement and signature; with <paramref name="linked"/>
    /// (all seals, in order) also the chain of seals: numbers without gaps, each previous root the root before it.
    /// </summary>
    /// <returns>How many seals were checked.</returns>
    private async Task<int> CheckSealsAsync(
        IAsyncEnumerable<SealRow> seals, IAsyncEnumerable<SealLeafRow> leafRows, bool linked, List<IntegrityProblem> problems, CancellationToken ct)
    {
        static IntegrityProblem Problem(string kind, string detail) => new(kind, Guid.Empty, "seal", null, null, null, null, null, detail);
        await using var leafCursor = leafRows.GetAsyncEnumerator(ct);
        var hasLeaf = await leafCursor.MoveNextAsync();
        var count = 0;
        long previousId = 0;
        byte[]? previousRoot = null;
        long? orphan = null;
        void Orphan(long sealId)
        {
            if (orphan != sealId) problems.Add(Problem("seal-root-mismatch", $"seal {sealId} has leaves but no seal record"));
            orphan = sealId;
        }

        await foreach (var seal in seals.WithCancellation(ct))
        {
            count++;
            var id = seal.Info.Id;
            var leaves = new List<SealLeaf>(seal.Info.Leaves);
            for (; hasLeaf && leafCursor.Current.SealId <= id; hasLeaf = await leafCursor.MoveNextAsync())
            {
                if (leafCursor.Current.SealId == id) leaves.Add(leafCursor.Current.Leaf);
                else Orphan(leafCursor.Current.SealId);
            }

            var root = leaves.Count == 0 ? null : MerkleTree.Root(leaves);
            if (root is null || !root.AsSpan().SequenceEqual(seal.Root) || leaves.Count != seal.Info.Leaves)
            {
                problems.Add(Problem("seal-root-mismatch", root is null
                    ? $"seal {id} records {seal.Info.Leaves} leaves, none is stored"
                    : $"seal {id}: its {leaves.Count} leaves give root {Convert.ToHexStringLower(root)}, the seal records {seal.Info.Root} over {seal.Info.Leaves}"));
            }

            var statement = Statement(id, seal.Info.SealedAt, seal.Info.ChainThrough, seal.Info.Leaves, seal.Root, seal.PreviousRoot);
            var why = statement != seal.Info.Statement
                ? "its recorded fields differ from the signed statement"
                : signer.VerifyDetached(System.Text.Encoding.UTF8.GetBytes(seal.Info.Statement), Convert.FromBase64String(seal.Info.Signature));
            if (why is not null) problems.Add(Problem("seal-signature-invalid", $"seal {id}: {why}"));

            if (linked)
            {
                if (id != previousId + 1)
                    problems.Add(Problem("seal-root-mismatch", $"seal {id} follows seal {previousId}: seals {previousId + 1} to {id - 1} are missing"));
                else if (!(seal.PreviousRoot ?? []).AsSpan().SequenceEqual(previousRoot ?? []))
                    problems.Add(Problem("seal-root-mismatch", $"seal {id} records previous root {seal.Info.PreviousRoot ?? "none"}, seal {previousId} has root {(previousRoot is null ? "none" : Convert.ToHexStringLower(previousRoot))}"));
                (previousId, previousRoot) = (id, seal.Root);
            }
        }

        for (; hasLeaf; hasLeaf = await leafCursor.MoveNextAsync()) Orphan(leafCursor.Current.SealId);
        return count;
    }

    // ---------------------------------------------------------------- content

    /// <summary>Every content reference in the file's events is rehashed from the store, each blob once.</summary>
    private async Task<(int Blobs, long Bytes)> VerifyBlobsAsync(List<StreamResult> checks, List<IntegrityProblem> problems, CancellationToken ct)
    {
        var refs = new Dictionary<string, ContentUse>();
        foreach (var use in checks.SelectMany(c => c.Contents)) refs.TryAdd(use.Sha256, use);
        long bytes = 0;
        var buffer = new byte[256 * 1024];
        foreach (var (sha, use) in refs)
        {
            var blob = await HashBlobAsync(sha, buffer, ct);
            bytes += blob.Read;
            if (BlobProblem(blob, use) is { } problem) problems.Add(problem);
        }

        return (refs.Count, bytes);
    }

    /// <summary>Reads the blob through the content store, which rehashes it and throws at the end when it does not match.</summary>
    private async Task<BlobCheck> HashBlobAsync(string sha, byte[] buffer, CancellationToken ct)
    {
        try
        {
            long read = 0;
            await using (var content = store.OpenRead(sha))
            {
                int n;
                while ((n = await content.ReadAsync(buffer, ct)) > 0) read += n;
            }

            return new BlobCheck(sha, read, null, null);
        }
        catch (ContentMissingException)
        {
            return new BlobCheck(sha, 0, "blob-missing", null);
        }
        catch (ContentCorruptedException e)
        {
            return new BlobCheck(sha, 0, "blob-altered", e.Message);
        }
    }

    private static IntegrityProblem? BlobProblem(BlobCheck blob, ContentUse use) => blob.Kind switch
    {
        "blob-missing" => use.Problem("blob-missing", $"blob {blob.Sha256} referenced by {use.EventType} at version {use.Version} is not in the content store"),
        "blob-altered" => use.Problem("blob-altered", blob.Detail!),
        _ when blob.Read != use.Size => use.Problem("blob-size-mismatch", $"blob {blob.Sha256} has {blob.Read} bytes, the event records {use.Size}"),
        _ => null,
    };

    // ---------------------------------------------------------------- evidence for the archive export

    public async Task<FileIntegrityEvidence?> EvidenceAsync(Guid fileId, CancellationToken ct)
    {
        await ChainPendingAsync(ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var streams = await StreamsOfAsync(conn, fileId, ct);
        if (streams is null) return null;
        var evidence = new List<StreamEvidence>();
        foreach (var (streamId, kind) in streams)
        {
            var heads = await HeadsAsync(conn, [streamId], ct);
            if (!heads.TryGetValue(streamId, out var head)) continue;
            var leaf = (await LeavesOfStreamAsync(conn, streamId, ct)).LastOrDefault();
            SealEvidence? seal = null;
            if (leaf is not null)
            {
                var info = await SealRowsAsync(conn, [leaf.SealId], ct).SingleAsync(ct);
                var all = await SealLeafRowsAsync(conn, [leaf.SealId], ct).Select(l => l.Leaf).ToListAsync(ct);
                seal = new SealEvidence(info.Info, leaf.Index, leaf.Version, Convert.ToHexStringLower(leaf.Hash), MerkleTree.Proof(all, leaf.Index));
            }

            evidence.Add(new StreamEvidence(streamId, kind, head.Version, Convert.ToHexStringLower(head.Hash), seal));
        }

        if (evidence.Count == 0 || evidence[0].StreamId != fileId) return null;
        return new FileIntegrityEvidence(fileId, evidence[0], [.. evidence.Skip(1)], signer.Certificate.ExportCertificatePem());
    }

    private async Task<List<LeafRecord>> LeavesOfStreamAsync(NpgsqlConnection conn, Guid streamId, CancellationToken ct)
    {
        var leaves = new List<LeafRecord>();
        await using var cmd = new NpgsqlCommand($"SELECT seal_id, leaf_index, version, hash FROM {sql.Leaves} WHERE stream_id = @s ORDER BY seal_id", conn);
        cmd.Parameters.AddWithValue("s", streamId);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) leaves.Add(new LeafRecord(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2), (byte[])reader[3]));
        return leaves;
    }
}
