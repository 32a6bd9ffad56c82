using Microsoft.Extensions.Hosting;
using Npgsql;

namespace ECase.Infrastructure.Persistence;

/// <summary>
/// Installs triggers that make the access log and search log tables refuse UPDATE, DELETE and TRUNCATE: reads and
/// searches once logged stay logged,
/// whatever code runs against the database. Runs at start-up after Marten has created its tables (idempotent).
/// </summary>
public sealed class AppendOnlyAccessLog(NpgsqlDataSource dataSource, StoreSchema schema) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var function = $"{schema.Name}.ecase_refuse_change";
        var sql = $"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'ECase: % on % is not allowed, the table is append-only', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
            END $$;
            """;
        foreach (var table in new[] { "mt_doc_accesslogentry", "mt_doc_searchlogentry" })
        {
            sql += $"""

                CREATE OR REPLACE TRIGGER ecase_append_only BEFORE UPDATE OR DELETE ON {schema.Name}.{table} FOR EACH ROW EXECUTE FUNCTION {function}();
                CREATE OR REPLACE TRIGGER ecase_no_truncate BEFORE TRUNCATE ON {schema.Name}.{table} FOR EACH STATEMENT EXECUTE FUNCTION {function}();
                """;
        }

        await using var cmd = dataSource.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
