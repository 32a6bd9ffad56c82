using ECase.Application.Files;
using Npgsql;

using ECase.Infrastructure.Persistence;

namespace ECase.Infrastructure.Files;

/// <summary>
/// One counter row per series, incremented atomically in its own short transaction (ADR 0003):
/// unique and increasing under any concurrency; a file opening that fails afterwards leaves a gap.
/// </summary>
public sealed class PostgresFileReferenceNumbers(NpgsqlDataSource dataSource, StoreSchema schema) : IFileReferenceNumbers
{
    public async Task<int> NextAsync(string orgUnit, string planCode, int year, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            INSERT INTO {schema.Name}.ecase_reference_counters (series, last_number) VALUES ($1, 1)
            ON CONFLICT (series) DO UPDATE SET last_number = ecase_reference_counters.last_number + 1
            RETURNING last_number
            """);
        cmd.Parameters.AddWithValue(Domain.Files.FileReference.SeriesKey(orgUnit, planCode, year));
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
