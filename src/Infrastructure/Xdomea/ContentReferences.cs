using ECase.Application.Disposal;
using ECase.Infrastructure.Persistence;
using Npgsql;

namespace ECase.Infrastructure.Xdomea;

/// <summary>
/// Finds content hashes still named by events of other streams, so a blob shared with a file that stays is not deleted.
/// One pass over the event table (a disposal run is rare); streams destroyed earlier do not count, their blobs are gone.
/// </summary>
public sealed class ContentReferences(NpgsqlDataSource db, StoreSchema schema) : IContentReferences
{
    public async Task<IReadOnlySet<string>> StillReferencedAsync(IReadOnlyCollection<string> hashes, IReadOnlyCollection<Guid> streams, CancellationToken ct)
    {
        if (hashes.Count == 0) return new HashSet<string>();
        await using var cmd = db.CreateCommand($$"""
            select distinct m[1]
            from {{schema.Name}}.mt_events e, regexp_matches(e.data::text, '"Sha256": ?"([0-9a-f]{64})"', 'g') m
            where e.stream_id <> all(@streams)
              and e.stream_id not in (select stream_id from {{schema.Name}}.mt_events where type = 'file_destroyed')
              and m[1] = any(@hashes)
            """);
        cmd.Parameters.AddWithValue("streams", streams.ToArray());
        cmd.Parameters.AddWithValue("hashes", hashes.ToArray());
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) found.Add(reader.GetString(0));
        return found;
    }
}
