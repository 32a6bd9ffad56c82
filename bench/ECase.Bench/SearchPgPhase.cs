using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace ECase.Bench;

/// <summary>
/// (3) The baseline: the same corpus in PostgreSQL full-text search — a table with a German <c>tsvector</c> generated
/// column and a GIN index, loaded with binary COPY, queried for the top 20 by <c>ts_rank</c> within the clerk's org unit
/// and clearance, by the same number of concurrent clients. A throwaway schema, dropped at the end also after a failure.
/// </summary>
public static class SearchPgPhase
{
    public static async Task<List<ClassResult>> RunAsync(SearchBenchOptions o, SearchCorpus corpus, IReadOnlyList<BenchQuery> queries, CancellationToken ct)
    {
        var inv = CultureInfo.InvariantCulture;
        var schema = Names.Schema("bench_search");
        var builder = new NpgsqlConnectionStringBuilder(o.ConnectionString) { CommandTimeout = 600, Pooling = true, MaxPoolSize = Math.Max(o.Searchers + 2, 10) };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            await Sql.ExecuteAsync(dataSource, $"""
                CREATE SCHEMA {schema};
                CREATE TABLE {schema}.docs (
                    id text PRIMARY KEY,
                    org_unit text NOT NULL,
                    conf int NOT NULL,
                    title text NOT NULL,
                    meta text NOT NULL,
                    body text NOT NULL,
                    tsv tsvector GENERATED ALWAYS AS (
                        setweight(to_tsvector('german'::regconfig, title), 'A') ||
                        setweight(to_tsvector('german'::regconfig, meta), 'B') ||
                        to_tsvector('german'::regconfig, body)) STORED);
                """, ct);
            Console.WriteLine($"[pg] schema {schema}: loading {o.Docs} documents with binary COPY (2 streams) …");

            var cpu = new CpuMeter(null);
            var start = Stopwatch.GetTimestamp();
            const int streams = 2;
            await Task.WhenAll(Enumerable.Range(0, streams).Select(s => Task.Run(async () =>
            {
                await using var conn = await dataSource.OpenConnectionAsync(ct);
                await using var import = await conn.BeginBinaryImportAsync($"COPY {schema}.docs (id, org_unit, conf, title, meta, body) FROM STDIN (FORMAT BINARY)", ct);
                for (var i = s; i < o.Docs; i += streams)
                {
                    var d = corpus.Document(i);
                    await import.StartRowAsync(ct);
                    await import.WriteAsync(d.Entry.Id, NpgsqlDbType.Text, ct);
                    await import.WriteAsync(d.Entry.OrgUnit, NpgsqlDbType.Text, ct);
                    await import.WriteAsync((int)d.Entry.Confidentiality, NpgsqlDbType.Integer, ct);
                    await import.WriteAsync(d.Entry.Title, NpgsqlDbType.Text, ct);
                    await import.WriteAsync(d.Meta, NpgsqlDbType.Text, ct);
                    await import.WriteAsync(d.Body, NpgsqlDbType.Text, ct);
                }

                await import.CompleteAsync(ct);
            }, ct)));
            var load = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var t1 = Stopwatch.GetTimestamp();
            await Sql.ExecuteAsync(dataSource, $"SET maintenance_work_mem = '256MB'; CREATE INDEX ON {schema}.docs USING gin (tsv); CREATE INDEX ON {schema}.docs (org_unit, conf); ANALYZE {schema}.docs;", ct);
            var indexSeconds = Stopwatch.GetElapsedTime(t1).TotalSeconds;
            var use = cpu.Stop();
            await using (var size = dataSource.CreateCommand($"SELECT pg_total_relation_size('{schema}.docs')"))
            {
                var bytes = (long)(await size.ExecuteScalarAsync(ct))!;
                Console.WriteLine(string.Create(inv,
                    $"[pg] loaded in {load:0.0} s ({o.Docs / load:0} docs/s incl. to_tsvector), GIN + btree index and ANALYZE {indexSeconds:0.0} s, together {o.Docs / (load + indexSeconds):0} docs/s; table with indexes {bytes / 1e6:0} MB"));
            }

            Console.WriteLine($"[pg] {use.Describe(0)}");

            string QuerySql(BenchQuery q) => $"""
                SELECT id, ts_rank(tsv, q) AS rank
                FROM {schema}.docs, {q.PgFunction}('german'::regconfig, $1) q
                WHERE tsv @@ q AND org_unit = $2 AND conf <= $3
                ORDER BY rank DESC LIMIT 20
                """;
            var unit = SearchBenchmark.ClerkScope.OrgUnits![0];
            var clearance = (int)SearchBenchmark.ClerkScope.Clearance;
            int Run(NpgsqlConnection conn, BenchQuery q)
            {
                using var cmd = new NpgsqlCommand(QuerySql(q), conn);
                cmd.Parameters.AddWithValue(q.PgText);
                cmd.Parameters.AddWithValue(unit);
                cmd.Parameters.AddWithValue(clearance);
                using var reader = cmd.ExecuteReader();
                var n = 0;
                while (reader.Read()) n++;
                return n;
            }

            var connections = new NpgsqlConnection[o.Searchers];
            try
            {
                for (var c = 0; c < connections.Length; c++) connections[c] = await dataSource.OpenConnectionAsync(ct);

                await using (var explain = connections[0].CreateCommand())
                {
                    foreach (var cls in SearchCorpus.Classes)
                    {
                        var q = queries.First(x => x.Class == cls);
                        explain.CommandText = "EXPLAIN " + QuerySql(q).Replace("$1", $"'{q.PgText.Replace("'", "''", StringComparison.Ordinal)}'", StringComparison.Ordinal)
                            .Replace("$2", $"'{unit}'", StringComparison.Ordinal).Replace("$3", clearance.ToString(inv), StringComparison.Ordinal);
                        await using var reader = await explain.ExecuteReaderAsync(ct);
                        var plan = new List<string>();
                        while (await reader.ReadAsync(ct)) plan.Add(reader.GetString(0).Trim());
                        Console.WriteLine($"[pg] plan {cls} ({q.PgFunction} '{q.PgText}'): {string.Join(" | ", plan.Where(l => !l.StartsWith("->  Function", StringComparison.Ordinal)).Take(6))}");
                    }
                }

                Console.WriteLine("[pg] warming up: every query once, spread over the clients …");
                SearchBenchmark.Concurrent(o.Searchers, (c, k) => c + k * o.Searchers < queries.Count, (c, k) => Run(connections[c], queries[c + k * o.Searchers]), TimeSpan.MaxValue, ct);

                var results = new List<ClassResult>();
                foreach (var cls in SearchCorpus.Classes)
                {
                    var set = queries.Where(q => q.Class == cls).ToArray();
                    var classCpu = new CpuMeter(null);
                    var (ticks, seconds) = SearchBenchmark.Concurrent(o.Searchers, (_, k) => k < o.PgQueries,
                        (c, k) => Run(connections[c], set[(c * 3 + k) % set.Length]), TimeSpan.FromSeconds(o.PgSeconds), ct);
                    results.Add(SearchBenchmark.Report("pg", cls, ticks, seconds, classCpu.Stop()));
                }

                return results;
            }
            finally
            {
                foreach (var c in connections) if (c is not null) await c.DisposeAsync();
            }
        }
        finally
        {
            await Sql.DropSchemaAsync(dataSource, schema);
        }
    }
}
