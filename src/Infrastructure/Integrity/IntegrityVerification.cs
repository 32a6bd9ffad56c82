using System.Diagnostics;
using System.Text.Json;
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

    /// <param name="Recomputed">The chain recomputed from the stored rows alone, from the first event up to the first missing one.</param>
    private sealed record StreamCheck(Guid StreamId, string Kind, List<StoredEvent> Rows, Dictionary<long, byte[]> Recomputed, long LastVersion, ChainHead? Head);

    public async Task<VerificationReport?> VerifyFileAsync(Guid fileId, CancellationToken ct)
    {
        await EnsureSchemaAsync(ct);
        var watch = Stopwatch.StartNew();
        await using var conn = await db.OpenConnectionAsync(ct);
        var streams = await StreamsOfAsync(conn, fileId, ct);
        if (streams is null) return null;

        var problems = new List<IntegrityProblem>();
        var checks = new List<StreamCheck>();
        var unchained = 0;
        foreach (var (streamId, kind) in streams)
        {
            var (check, tail) = await VerifyStreamAsync(conn, streamId, kind, problems, ct);
            checks.Add(check);
            unchained += tail;
        }

        var seals = await VerifySealsAsync(conn, checks, problems, ct);
        var (blobs, bytes) = await VerifyBlobsAsync(checks, problems, ct);
        // Problems come in the order found: the file stream, then each case, each by version; the first names the first event that does not match.
        return new VerificationReport(
            fileId, await ReferenceAsync(fileId, ct), problems.Count == 0, checks.Count, checks.Sum(c => c.Rows.Count), unchained, seals, blobs, bytes,
            watch.Elapsed.TotalSeconds, problems.FirstOrDefault(), problems, [.. checks.Select(c => c.Head).OfType<ChainHead>()]);
    }

    /// <summary>The file stream and its case streams: cases named by the stored file events and by the case read model.</summary>
    private async Task<List<(Guid, string)>?> StreamsOfAsync(NpgsqlConnection conn, Guid fileId, CancellationToken ct)
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
        return [(fileId, "file"), .. cases.Order().Select(c => (c, "case"))];
    }

    private async Task<string?> ReferenceAsync(Guid fileId, CancellationToken ct)
    {
        await using var session = documents.QuerySession();
        return (await session.LoadAsync<FileOverview>(fileId, ct))?.Reference;
    }

    private async Task<(StreamCheck, int Unchained)> VerifyStreamAsync(
        NpgsqlConnection conn, Guid streamId, string kind, List<IntegrityProblem> problems, CancellationToken ct)
    {
        var rows = await ReadEventsAsync(conn, "e.stream_id = @s ORDER BY e.version", ct, ("s", streamId));
        var chain = new List<ChainRecord>();
        await using (var cmd = new NpgsqlCommand($"SELECT seq_id, version, event_id, hash FROM {sql.Chain} WHERE stream_id = @s ORDER BY version", conn))
        {
            cmd.Parameters.AddWithValue("s", streamId);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) chain.Add(new ChainRecord(reader.GetInt64(0), reader.GetInt64(1), reader.GetGuid(2), (byte[])reader[3]));
        }

        var rowAt = rows.GroupBy(r => r.Version).ToDictionary(g => g.Key, g => g.First());
        var chainAt = chain.ToDictionary(c => c.Version);
        var chainedIds = chain.ToDictionary(c => c.EventId, c => c.Version);
        var recomputed = new Dictionary<long, byte[]>();
        byte[]? pure = ChainHash.Genesis;
        var last = Math.Max(rows.Count == 0 ? 0 : rows[^1].Version, chain.Count == 0 ? 0 : chain[^1].Version);
        var lastChained = chain.Count == 0 ? 0 : chain[^1].Version;
        var previous = ChainHash.Genesis;
        var unchained = 0;
        IntegrityProblem Problem(string problemKind, long version, StoredEvent? row, ChainRecord? record, string detail) =>
            new(problemKind, streamId, kind, version, row?.Sequence ?? record?.Sequence, row?.Id ?? record?.EventId, row?.Type, null, detail);

        for (var v = 1L; v <= last; v++)
        {
            rowAt.TryGetValue(v, out var row);
            chainAt.TryGetValue(v, out var record);
            if (row is null)
            {
                pure = null;
                problems.Add(Problem("event-missing", v, null, record,
                    record is null ? $"version {v} of the stream has no event and no chain record" : $"event {record.EventId} (sequence {record.Sequence}) was chained but is no longer stored"));
                previous = record?.Hash ?? previous;
                continue;
            }

            var hash = ChainHash.Next(previous, row.Canonical);
            if (pure is not null) recomputed[v] = pure = ChainHash.Next(pure, row.Canonical);
            if (record is null)
            {
                // Events after the last chained one are simply not chained yet; an unchained event before it was slipped in.
                if (v > lastChained) unchained++;
                else problems.Add(Problem("event-not-in-chain", v, row, null, $"event {row.Id} at version {v} is stored but was never chained"));
            }
            else if (!hash.AsSpan().SequenceEqual(record.Hash))
            {
                problems.Add(row.Id != record.EventId
                    ? chainedIds.TryGetValue(row.Id, out var chainedAt)
                        ? Problem("event-reordered", v, row, record, $"event {row.Id} was chained at version {chainedAt}, now stored at version {v}")
                        : Problem("event-replaced", v, row, record, $"the chain recorded event {record.EventId} at version {v}; the store holds {row.Id}")
                    : Problem("event-altered", v, row, record, $"{row.Type} at version {v} (sequence {row.Sequence}) does not match its chain hash: its stored type, data or metadata changed"));
                hash = record.Hash;
            }

            previous = hash;
        }

        var streamVersion = await ScalarAsync<object>(conn, $"SELECT coalesce((SELECT version FROM {sql.Streams} WHERE id = '{streamId}'), -1)", ct);
        if (Convert.ToInt64(streamVersion, System.Globalization.CultureInfo.InvariantCulture) is var sv && sv != last && (sv != -1 || last != 0))
            problems.Add(new IntegrityProblem("stream-version-mismatch", streamId, kind, sv, null, null, null, null,
                $"the stream says version {sv}, its events and chain reach version {last}"));

        ChainHead? head = chain.Count == 0 ? null : new ChainHead(streamId, kind, chain[^1].Version, Convert.ToHexStringLower(chain[^1].Hash));
        return (new StreamCheck(streamId, kind, rows, recomputed, last, head), unchained);
    }

    private async Task<int> VerifySealsAsync(NpgsqlConnection conn, List<StreamCheck> checks, List<IntegrityProblem> problems, CancellationToken ct)
    {
        var sealIds = new SortedSet<long>();
        foreach (var check in checks)
        {
            foreach (var leaf in await LeavesOfStreamAsync(conn, check.StreamId, ct))
            {
                sealIds.Add(leaf.SealId);
                if (leaf.Version > check.LastVersion)
                {
                    problems.Add(new IntegrityProblem("event-missing", check.StreamId, check.Kind, leaf.Version, null, null, null, null,
                        $"seal {leaf.SealId} sealed the stream at version {leaf.Version}; it now ends at version {check.LastVersion}"));
                }
                else if (!check.Recomputed.TryGetValue(leaf.Version, out var hash) || !hash.AsSpan().SequenceEqual(leaf.Hash))
                {
                    var row = check.Rows.FirstOrDefault(r => r.Version == leaf.Version);
                    problems.Add(new IntegrityProblem("seal-leaf-mismatch", check.StreamId, check.Kind, leaf.Version, row?.Sequence, row?.Id, row?.Type, null,
                        hash is null
                            ? $"seal {leaf.SealId} sealed version {leaf.Version}; the stored events no longer reach it from the start"
                            : $"seal {leaf.SealId} sealed version {leaf.Version} with another hash: the stream's history up to that version changed"));
                }
            }
        }

        foreach (var id in sealIds)
        {
            var (seal, leaves) = await LoadSealAsync(conn, id, ct);
            var root = MerkleTree.Root([.. leaves.Select(l => l.Leaf)]);
            var statement = Statement(seal.Id, seal.SealedAt, seal.ChainThrough, seal.Leaves, Convert.FromHexString(seal.Root), seal.PreviousRoot is null ? null : Convert.FromHexString(seal.PreviousRoot));
            if (Convert.ToHexStringLower(root) != seal.Root || leaves.Count != seal.Leaves)
                problems.Add(new IntegrityProblem("seal-root-mismatch", Guid.Empty, "seal", null, null, null, null, null,
                    $"seal {id}: its leaves give root {Convert.ToHexStringLower(root)}, the seal records {seal.Root}"));
            var why = statement != seal.Statement
                ? "its recorded fields differ from the signed statement"
                : signer.VerifyDetached(System.Text.Encoding.UTF8.GetBytes(seal.Statement), Convert.FromBase64String(seal.Signature));
            if (why is not null)
                problems.Add(new IntegrityProblem("seal-signature-invalid", Guid.Empty, "seal", null, null, null, null, null, $"seal {id}: {why}"));
        }

        return sealIds.Count;
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

    private async Task<(SealInfo Seal, List<(int Index, SealLeaf Leaf)> Leaves)> LoadSealAsync(NpgsqlConnection conn, long id, CancellationToken ct)
    {
        SealInfo seal;
        await using (var cmd = new NpgsqlCommand($"SELECT id, sealed_at, chain_through, leaf_count, root, previous_root, statement, signature FROM {sql.Seals} WHERE id = @id", conn))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            seal = new SealInfo(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2), reader.GetInt32(3),
                Convert.ToHexStringLower((byte[])reader[4]), reader.IsDBNull(5) ? null : Convert.ToHexStringLower((byte[])reader[5]), reader.GetString(6),
                Convert.ToBase64String((byte[])reader[7]));
        }

        var leaves = new List<(int, SealLeaf)>();
        await using (var cmd = new NpgsqlCommand($"SELECT leaf_index, stream_id, version, hash FROM {sql.Leaves} WHERE seal_id = @id ORDER BY leaf_index", conn))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) leaves.Add((reader.GetInt32(0), new SealLeaf(reader.GetGuid(1), reader.GetInt64(2), (byte[])reader[3])));
        }

        return (seal, leaves);
    }

    /// <summary>Every content reference (an object with <c>Sha256</c> and <c>Size</c>) in the events is rehashed from the store.</summary>
    private async Task<(int Blobs, long Bytes)> VerifyBlobsAsync(List<StreamCheck> checks, List<IntegrityProblem> problems, CancellationToken ct)
    {
        var refs = new Dictionary<string, (long Size, StreamCheck Check, StoredEvent Row)>();
        foreach (var check in checks)
        {
            foreach (var row in check.Rows)
            {
                using var json = JsonDocument.Parse(row.Canonical);
                foreach (var (sha, size) in ContentRefs(json.RootElement[json.RootElement.GetArrayLength() - 1]))
                    refs.TryAdd(sha, (size, check, row));
            }
        }

        long bytes = 0;
        var buffer = new byte[256 * 1024];
        foreach (var (sha, (size, check, row)) in refs)
        {
            IntegrityProblem Problem(string kind, string detail) => new(kind, check.StreamId, check.Kind, row.Version, row.Sequence, row.Id, row.Type, sha, detail);
            try
            {
                long read = 0;
                await using (var content = store.OpenRead(sha))
                {
                    int n;
                    while ((n = await content.ReadAsync(buffer, ct)) > 0) read += n;
                }

                bytes += read;
                if (read != size) problems.Add(Problem("blob-size-mismatch", $"blob {sha} has {read} bytes, the event records {size}"));
            }
            catch (ContentMissingException)
            {
                problems.Add(Problem("blob-missing", $"blob {sha} referenced by {row.Type} at version {row.Version} is not in the content store"));
            }
            catch (ContentCorruptedException e)
            {
                problems.Add(Problem("blob-altered", e.Message));
            }
        }

        return (refs.Count, bytes);
    }

    private static IEnumerable<(string Sha256, long Size)> ContentRefs(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty("Sha256", out var sha) && sha.ValueKind == JsonValueKind.String && element.TryGetProperty("Size", out var size)
                && size.ValueKind == JsonValueKind.Number && Domain.Cases.ContentRef.IsSha256Hex(sha.GetString()))
            {
                yield return (sha.GetString()!, size.GetInt64());
            }

            foreach (var property in element.EnumerateObject())
                foreach (var found in ContentRefs(property.Value)) yield return found;
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var found in ContentRefs(item)) yield return found;
        }
    }

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
                var (info, leaves) = await LoadSealAsync(conn, leaf.SealId, ct);
                var all = leaves.Select(l => l.Leaf).ToList();
                seal = new SealEvidence(info, leaf.Index, leaf.Version, Convert.ToHexStringLower(leaf.Hash), MerkleTree.Proof(all, leaf.Index));
            }

            evidence.Add(new StreamEvidence(streamId, kind, head.Version, Convert.ToHexStringLower(head.Hash), seal));
        }

        if (evidence.Count == 0 || evidence[0].StreamId != fileId) return null;
        return new FileIntegrityEvidence(fileId, evidence[0], [.. evidence.Skip(1)], signer.Certificate.ExportCertificatePem());
    }
}
