using System.Globalization;
using Npgsql;

namespace ECase.Bench;

/// <summary>
/// What PostgreSQL did during a measured window, from its cumulative statistics (no extension needed): transactions of
/// the database and rows written and index/sequential scans per table of the phase's schema. Statistics reach the views
/// with up to a second of delay, so the probe waits a little before the second snapshot.
/// </summary>
public sealed class DbProbe(string connectionString, string schema, SqlTrace? trace = null)
{
    private Snapshot? _before;

    public async Task StartAsync(CancellationToken ct)
    {
        _before = await TakeAsync(ct);
        trace?.Start();
    }

    public async Task<string> StopAsync(int ops, CancellationToken ct)
    {
        var sql = trace?.Stop(ops);
        await Task.Delay(1200, ct);
        var after = await TakeAsync(ct);
        var before = _before ?? throw new InvalidOperationException("The probe was not started.");
        var inv = CultureInfo.InvariantCulture;
        double Per(long n) => ops == 0 ? double.NaN : (double)n / ops;
        var lines = new List<string>
        {
            string.Create(inv,
                $"db: per command {Per(after.Commits - before.Commits):0.00} commits, {Per(after.Rollbacks - before.Rollbacks):0.00} rollbacks (whole database, so other sessions count too)"),
        };
        foreach (var (table, a) in after.Tables.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var b = before.Tables.GetValueOrDefault(table);
            var d = new TableCounts(a.Inserted - b.Inserted, a.Updated - b.Updated, a.Deleted - b.Deleted, a.IndexScans - b.IndexScans, a.SeqScans - b.SeqScans);
            if (d.Inserted + d.Updated + d.Deleted + d.IndexScans + d.SeqScans == 0) continue;
            lines.Add(string.Create(inv,
                $"db:   {table,-34} ins {Per(d.Inserted),5:0.00}  upd {Per(d.Updated),5:0.00}  del {Per(d.Deleted),5:0.00}  idx scans {Per(d.IndexScans),5:0.00}  seq scans {Per(d.SeqScans),5:0.00}"));
        }

        if (sql is not null) lines.Add(sql);
        return string.Join(Environment.NewLine, lines);
    }

    private async Task<Snapshot> TakeAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        long commits, rollbacks;
        await using (var cmd = new NpgsqlCommand("SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()", connection))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            await r.ReadAsync(ct);
            commits = r.GetInt64(0);
            rollbacks = r.GetInt64(1);
        }

        var tables = new Dictionary<string, TableCounts>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del, coalesce(idx_scan, 0), coalesce(seq_scan, 0) FROM pg_stat_user_tables WHERE schemaname = $1", connection))
        {
            cmd.Parameters.AddWithValue(schema);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                tables[r.GetString(0)] = new TableCounts(r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5));
        }

        return new Snapshot(commits, rollbacks, tables);
    }

    private sealed record Snapshot(long Commits, long Rollbacks, Dictionary<string, TableCounts> Tables);

    private readonly record struct TableCounts(long Inserted, long Updated, long Deleted, long IndexScans, long SeqScans);
}
