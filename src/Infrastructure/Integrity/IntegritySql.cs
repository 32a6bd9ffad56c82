using ECase.Infrastructure.Persistence;

namespace ECase.Infrastructure.Integrity;

/// <summary>
/// The SQL of tamper evidence (ADR 0013). The canonical form of an event is rendered by PostgreSQL itself: a jsonb array of
/// the row's columns with the timestamp as integer microseconds, so what is hashed is exactly what is stored, independent
/// of the session's time zone and of how the application serialised the event.
/// </summary>
public sealed class IntegritySql(StoreSchema schema)
{
    public const long LockKey = 0x0ECA5E_C4A1;

    public string Canonical => "jsonb_build_array(e.seq_id, e.id, e.stream_id, e.version, e.type, e.mt_dotnet_type, e.tenant_id, "
        + "(extract(epoch from e.timestamp) * 1000000)::bigint, e.data)::text";

    public string Events => $"{schema.Name}.mt_events";

    public string Streams => $"{schema.Name}.mt_streams";

    public string Progression => $"{schema.Name}.mt_event_progression";

    public string Chain => $"{schema.Name}.ecase_event_chain";

    public string Seals => $"{schema.Name}.ecase_seals";

    public string Leaves => $"{schema.Name}.ecase_seal_leaves";

    /// <summary>The chain and seal tables, append-only by trigger (a database administrator can still drop the trigger: the seals' signatures are what a DBA cannot forge).</summary>
    public string Create => $"""
        CREATE TABLE IF NOT EXISTS {Chain} (
          chain_no   bigserial   NOT NULL UNIQUE,
          seq_id     bigint      PRIMARY KEY,
          stream_id  uuid        NOT NULL,
          version    bigint      NOT NULL,
          event_id   uuid        NOT NULL,
          hash       bytea       NOT NULL,
          chained_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (stream_id, version));
        CREATE TABLE IF NOT EXISTS {Seals} (
          id            bigint      PRIMARY KEY,
          sealed_at     timestamptz NOT NULL,
          chain_through bigint      NOT NULL,
          leaf_count    int         NOT NULL,
          root          bytea       NOT NULL,
          previous_root bytea,
          statement     text        NOT NULL,
          signature     bytea       NOT NULL);
        CREATE TABLE IF NOT EXISTS {Leaves} (
          seal_id    bigint NOT NULL,
          leaf_index int    NOT NULL,
          stream_id  uuid   NOT NULL,
          version    bigint NOT NULL,
          hash       bytea  NOT NULL,
          PRIMARY KEY (seal_id, leaf_index));
        CREATE INDEX IF NOT EXISTS ix_ecase_seal_leaves_stream ON {Leaves} (stream_id, seal_id);
        CREATE OR REPLACE FUNCTION {schema.Name}.ecase_integrity_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'ECase: % on % is not allowed, the table is append-only', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE OR REPLACE TRIGGER ecase_append_only BEFORE UPDATE OR DELETE ON {Chain} FOR EACH ROW EXECUTE FUNCTION {schema.Name}.ecase_integrity_append_only();
        CREATE OR REPLACE TRIGGER ecase_append_only BEFORE UPDATE OR DELETE ON {Seals} FOR EACH ROW EXECUTE FUNCTION {schema.Name}.ecase_integrity_append_only();
        CREATE OR REPLACE TRIGGER ecase_append_only BEFORE UPDATE OR DELETE ON {Leaves} FOR EACH ROW EXECUTE FUNCTION {schema.Name}.ecase_integrity_append_only();
        """;
}
