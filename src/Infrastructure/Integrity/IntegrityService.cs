using System.Text;
using ECase.Application.Content;
using ECase.Application.Integrity;
using ECase.Application.Signatures;
using ECase.Domain.Integrity;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace ECase.Infrastructure.Integrity;

/// <summary>
/// Per-stream hash chains over the stored event rows, Merkle seals over the chain heads signed with the server key, and
/// the <c>verify</c> run that recomputes both and rehashes content blobs (ADR 0013).
/// </summary>
public sealed partial class IntegrityService(
    NpgsqlDataSource db, IntegritySql sql, IServerSigner signer, IContentStore store, IDocumentStore documents, TimeProvider clock,
    ILogger<IntegrityService> logger) : IIntegrityService
{
    private const int BatchSize = 5000;
    private int _schemaReady;

    private sealed record StoredEvent(long Sequence, Guid StreamId, long Version, Guid Id, string Type, string Canonical);

    public async Task EnsureSchemaAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _schemaReady) == 1) return;
        await using var cmd = db.CreateCommand(sql.Create);
        await cmd.ExecuteNonQueryAsync(ct);
        Volatile.Write(ref _schemaReady, 1);
    }

    // ---------------------------------------------------------------- chaining

    public async Task<int> ChainPendingAsync(CancellationToken ct)
    {
        await EnsureSchemaAsync(ct);
        var total = 0;
        int chained;
        do
        {
            chained = await ChainBatchAsync(ct);
            total += chained;
        }
        while (chained == BatchSize);
        return total;
    }

    private async Task<int> ChainBatchAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var wait = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({IntegritySql.LockKey})", conn, tx)) await wait.ExecuteNonQueryAsync(ct);

        // Marten's high-water mark: every sequence below it is committed or will never be, so nothing is chained out of order.
        var from = await ScalarAsync<long>(conn, $"SELECT coalesce(max(seq_id), 0) FROM {sql.Chain}", ct);
        var to = await ScalarAsync<long>(conn, $"SELECT coalesce((SELECT last_seq_id FROM {sql.Progression} WHERE name = 'HighWaterMark'), 0)", ct);
        if (to <= from) return 0;
        var rows = await ReadEventsAsync(conn, $"e.seq_id > @from AND e.seq_id <= @to ORDER BY e.seq_id LIMIT {BatchSize}", ct, ("from", from), ("to", to));
        if (rows.Count == 0) return 0;

        var heads = await HeadsAsync(conn, [.. rows.Select(r => r.StreamId).Distinct()], ct);
        var chained = new List<(StoredEvent Event, byte[] Hash)>();
        foreach (var row in rows)
        {
            var (version, hash) = heads.GetValueOrDefault(row.StreamId, (0L, ChainHash.Genesis));
            if (row.Version <= version) continue;
            if (row.Version != version + 1)
            {
                // A predecessor committed late (below the high-water mark of an earlier run): chain the stream's gap first.
                var gap = await ReadEventsAsync(conn, "e.stream_id = @s AND e.version > @v AND e.version < @w ORDER BY e.version", ct,
                    ("s", row.StreamId), ("v", version), ("w", row.Version));
                if (gap.Count != row.Version - version - 1)
                {
                    LogChainGap(logger, row.StreamId, version + 1, row.Version - 1);
                    continue;
                }

                foreach (var g in gap)
                {
                    hash = ChainHash.Next(hash, g.Canonical);
                    chained.Add((g, hash));
                }
            }

            hash = ChainHash.Next(hash, row.Canonical);
            chained.Add((row, hash));
            heads[row.StreamId] = (row.Version, hash);
        }

        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO {sql.Chain} (seq_id, stream_id, version, event_id, hash) SELECT * FROM unnest(@seq, @stream, @version, @id, @hash) ON CONFLICT DO NOTHING", conn, tx))
        {
            insert.Parameters.AddWithValue("seq", chained.Select(c => c.Event.Sequence).ToArray());
            insert.Parameters.AddWithValue("stream", chained.Select(c => c.Event.StreamId).ToArray());
            insert.Parameters.AddWithValue("version", chained.Select(c => c.Event.Version).ToArray());
            insert.Parameters.AddWithValue("id", chained.Select(c => c.Event.Id).ToArray());
            insert.Parameters.Add(new NpgsqlParameter("hash", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = chained.Select(c => c.Hash).ToArray() });
            await insert.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return rows.Count;
    }

    private async Task<Dictionary<Guid, (long Version, byte[] Hash)>> HeadsAsync(NpgsqlConnection conn, Guid[] streams, CancellationToken ct)
    {
        var heads = new Dictionary<Guid, (long, byte[])>();
        await using var cmd = new NpgsqlCommand(
            $"SELECT DISTINCT ON (stream_id) stream_id, version, hash FROM {sql.Chain} WHERE stream_id = ANY(@ids) ORDER BY stream_id, version DESC", conn);
        cmd.Parameters.AddWithValue("ids", streams);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) heads[reader.GetGuid(0)] = (reader.GetInt64(1), (byte[])reader[2]);
        return heads;
    }

    // ---------------------------------------------------------------- sealing

    public async Task<SealInfo?> SealAsync(CancellationToken ct)
    {
        await ChainPendingAsync(ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var wait = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({IntegritySql.LockKey})", conn, tx)) await wait.ExecuteNonQueryAsync(ct);

        long previousId = 0, previousThrough = 0;
        byte[]? previousRoot = null;
        await using (var last = new NpgsqlCommand($"SELECT id, chain_through, root FROM {sql.Seals} ORDER BY id DESC LIMIT 1", conn, tx))
        await using (var reader = await last.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct)) (previousId, previousThrough, previousRoot) = (reader.GetInt64(0), reader.GetInt64(1), (byte[])reader[2]);
        }

        var through = await ScalarAsync<long>(conn, $"SELECT coalesce(max(chain_no), 0) FROM {sql.Chain}", ct);
        if (through <= previousThrough) return null;
        var leaves = new List<SealLeaf>();
        await using (var changed = new NpgsqlCommand(
            $"SELECT DISTINCT ON (stream_id) stream_id, version, hash FROM {sql.Chain} WHERE chain_no > @from AND chain_no <= @to ORDER BY stream_id, version DESC", conn, tx))
        {
            changed.Parameters.AddWithValue("from", previousThrough);
            changed.Parameters.AddWithValue("to", through);
            await using var reader = await changed.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) leaves.Add(new SealLeaf(reader.GetGuid(0), reader.GetInt64(1), (byte[])reader[2]));
        }

        leaves.Sort((a, b) => string.CompareOrdinal(a.StreamId.ToString(), b.StreamId.ToString()));
        var id = previousId + 1;
        var root = MerkleTree.Root(leaves);
        // PostgreSQL keeps microseconds: the statement must read the same when rebuilt from the stored row.
        var now = clock.GetUtcNow();
        var at = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
        var statement = Statement(id, at, through, leaves.Count, root, previousRoot);
        var signature = signer.SignDetached(Encoding.UTF8.GetBytes(statement), at);

        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO {sql.Seals} (id, sealed_at, chain_through, leaf_count, root, previous_root, statement, signature) VALUES (@id, @at, @through, @n, @root, @prev, @statement, @signature)", conn, tx))
        {
            insert.Parameters.AddWithValue("id", id);
            insert.Parameters.AddWithValue("at", at);
            insert.Parameters.AddWithValue("through", through);
            insert.Parameters.AddWithValue("n", leaves.Count);
            insert.Parameters.AddWithValue("root", root);
            insert.Parameters.Add(new NpgsqlParameter("prev", NpgsqlDbType.Bytea) { Value = (object?)previousRoot ?? DBNull.Value });
            insert.Parameters.AddWithValue("statement", statement);
            insert.Parameters.AddWithValue("signature", signature);
            await insert.ExecuteNonQueryAsync(ct);
        }

        await using (var insertLeaves = new NpgsqlCommand(
            $"INSERT INTO {sql.Leaves} (seal_id, leaf_index, stream_id, version, hash) SELECT @seal, * FROM unnest(@index, @stream, @version, @hash)", conn, tx))
        {
            insertLeaves.Parameters.AddWithValue("seal", id);
            insertLeaves.Parameters.AddWithValue("index", Enumerable.Range(0, leaves.Count).ToArray());
            insertLeaves.Parameters.AddWithValue("stream", leaves.Select(l => l.StreamId).ToArray());
            insertLeaves.Parameters.AddWithValue("version", leaves.Select(l => l.Version).ToArray());
            insertLeaves.Parameters.Add(new NpgsqlParameter("hash", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = leaves.Select(l => l.Hash).ToArray() });
            await insertLeaves.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        LogSealed(logger, id, leaves.Count, Convert.ToHexStringLower(root));
        return new SealInfo(id, at, through, leaves.Count, Convert.ToHexStringLower(root), previousRoot is null ? null : Convert.ToHexStringLower(previousRoot),
            statement, Convert.ToBase64String(signature));
    }

    /// <summary>What the server key signs: plain text, so a seal can be checked with openssl and the server certificate alone.</summary>
    public static string Statement(long id, DateTimeOffset at, long through, int leaves, byte[] root, byte[]? previousRoot) =>
        $"""
        ECase integrity seal v1
        seal: {id}
        sealed-at: {at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.ffffffZ}
        chain-through: {through}
        leaves: {leaves}
        root: {Convert.ToHexStringLower(root)}
        previous-root: {(previousRoot is null ? "none" : Convert.ToHexStringLower(previousRoot))}

        """;

    // ---------------------------------------------------------------- shared reads

    private async Task<List<StoredEvent>> ReadEventsAsync(NpgsqlConnection conn, string where, CancellationToken ct, params (string Name, object Value)[] args)
    {
        await using var cmd = new NpgsqlCommand($"SELECT e.seq_id, e.stream_id, e.version, e.id, e.type, {sql.Canonical} FROM {sql.Events} e WHERE {where}", conn);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        var rows = new List<StoredEvent>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new StoredEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetGuid(3), reader.GetString(4), reader.GetString(5)));
        return rows;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string text, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(text, conn);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream {StreamId} has no stored events for versions {From}-{To}; its later events stay unchained")]
    private static partial void LogChainGap(ILogger logger, Guid streamId, long from, long to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Integrity seal {Id} over {Leaves} chain heads, root {Root}")]
    private static partial void LogSealed(ILogger logger, long id, int leaves, string root);
}
