using Npgsql;
using NpgsqlTypes;

namespace ECase.Bench;

/// <summary>
/// (a) The floor under everything: N connections, each committing one single-row INSERT per transaction (autocommit)
/// into a small table of a throwaway schema. What PostgreSQL on this machine can do without Marten, Wolverine or HTTP.
/// </summary>
public static class RawAppendPhase
{
    public static async Task<PhaseResult> RunAsync(BenchOptions options, ErrorLog errors, CancellationToken ct)
    {
        var schema = Names.Schema("bench_raw");
        await using var dataSource = NpgsqlDataSource.Create(options.ConnectionString);
        await Sql.ExecuteAsync(dataSource, $"CREATE SCHEMA {schema}; CREATE TABLE {schema}.append_raw (id bigserial PRIMARY KEY, payload text NOT NULL)", ct);
        var writers = new List<RawWriter>();
        try
        {
            for (var i = 0; i < options.Writers; i++) writers.Add(await RawWriter.OpenAsync(dataSource, schema, ct));
            var result = await Driver.RunAsync("raw", writers, ["Insert"], options, errors, child: null, new DbProbe(options.ConnectionString, schema), ct);
            Driver.Print(result, "raw_tps");
            return result;
        }
        finally
        {
            foreach (var w in writers) await w.DisposeAsync();
            await Sql.DropSchemaAsync(dataSource, schema);
        }
    }

    private sealed class RawWriter : IBenchWriter, IAsyncDisposable
    {
        private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
        private readonly NpgsqlConnection _connection;
        private readonly NpgsqlCommand _insert;
        private readonly NpgsqlParameter<string> _payload;
        private readonly char[] _buffer = new char[200];

        private RawWriter(NpgsqlConnection connection, NpgsqlCommand insert, NpgsqlParameter<string> payload)
        {
            _connection = connection;
            _insert = insert;
            _payload = payload;
        }

        public static async Task<RawWriter> OpenAsync(NpgsqlDataSource dataSource, string schema, CancellationToken ct)
        {
            var connection = await dataSource.OpenConnectionAsync(ct);
            var insert = new NpgsqlCommand($"INSERT INTO {schema}.append_raw (payload) VALUES ($1)", connection);
            var payload = new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = "" };
            insert.Parameters.Add(payload);
            await insert.PrepareAsync(ct);
            return new RawWriter(connection, insert, payload);
        }

        public int NextKind => 0;

        public async Task StepAsync(CancellationToken ct)
        {
            for (var i = 0; i < _buffer.Length; i++) _buffer[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
            _payload.TypedValue = new string(_buffer);
            if (await _insert.ExecuteNonQueryAsync(ct) != 1) throw new InvalidOperationException("The insert did not insert one row.");
        }

        public void Recover() { }

        public async ValueTask DisposeAsync()
        {
            await _insert.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
