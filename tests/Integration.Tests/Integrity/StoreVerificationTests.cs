using ECase.Application.Integrity;
using ECase.Domain.Cases;
using ECase.Infrastructure.Integrity;
using ECase.Infrastructure.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace ECase.Integration.Tests.Integrity;

/// <summary>
/// <c>verify all</c>: the whole store in one pass. Every test has its own host and schema, so the store is exactly what
/// the test built: two sealed files, one of which it may tamper with behind the application's back.
/// </summary>
public sealed class StoreVerificationTests : IAsyncLifetime
{
    private readonly ECaseApp _app = new();
    private readonly IntegrityGiven _integrity;
    private readonly ITestOutputHelper _output;

    public StoreVerificationTests(ITestOutputHelper output)
    {
        _output = output;
        _integrity = new IntegrityGiven(_app);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private IIntegrityService Integrity => _app.Services.GetRequiredService<IIntegrityService>();

    /// <summary>The pass through the service, then the same through the command line (no argument: the whole store).</summary>
    private async Task<(StoreVerificationReport Report, int Exit, string Cli)> VerifyAllAsync()
    {
        var report = await Integrity.VerifyAllAsync(content: true, null, default);
        _output.WriteLine($"verify all: intact={report.Intact} events={report.Events} streams={report.Streams} files={report.FileStreams} blobs={report.Blobs} seals={report.Seals} in {report.Seconds * 1000:F1} ms");
        foreach (var file in report.Files)
            foreach (var p in file.Problems) _output.WriteLine($"  {file.Reference}: {p.Kind} {p.StreamKind} v{p.Version} {p.EventType}: {p.Detail}");
        foreach (var p in report.OtherProblems) _output.WriteLine($"  {p.Kind} {p.StreamKind}: {p.Detail}");
        var cli = new System.IO.StringWriter();
        var progress = new System.IO.StringWriter();
        var exit = await IntegrityCli.RunAsync(_app.Services, [], cli, default, progress);
        Assert.Contains("verify: chains ", progress.ToString(), StringComparison.Ordinal);
        return (report, exit, cli.ToString());
    }

    /// <summary>The store-wide pass lists a file's problems exactly as the check of that one file does.</summary>
    private async Task<FileProblems> SameAsTheFileCheckAsync(StoreVerificationReport report, Guid fileId)
    {
        var file = Assert.Single(report.Files);
        Assert.Equal(fileId, file.FileId);
        var single = (await Integrity.VerifyFileAsync(fileId, default))!;
        Assert.Equal(single.Reference, file.Reference);
        Assert.Equal(single.Problems, file.Problems);
        Assert.Equal(file.FirstMismatch, report.FirstMismatch);
        return file;
    }

    [Fact]
    public async Task An_untouched_store_verifies_clean_from_the_service_and_the_command_line()
    {
        await _integrity.SealedHistoryAsync();
        await _integrity.SealedHistoryAsync();

        var (report, exit, cli) = await VerifyAllAsync();

        Assert.True(report.Intact);
        Assert.Empty(report.Files);
        Assert.Empty(report.OtherProblems);
        Assert.Null(report.FirstMismatch);
        Assert.Equal((await _app.EventCountAsync(), 0), (report.Events, report.UnchainedEvents));
        Assert.Equal((2, 4), (report.FileStreams, report.Blobs));
        Assert.True(report.Seals >= 2);
        Assert.Equal(0, exit);
        Assert.Contains("OK store: ", cli, StringComparison.Ordinal);

        var chainsOnly = await Integrity.VerifyAllAsync(content: false, null, default);
        Assert.True(chainsOnly.Intact);
        Assert.Equal((report.Events, 0, 0L), (chainsOnly.Events, chainsOnly.Blobs, chainsOnly.BlobBytes));
        Assert.Equal(0, await IntegrityCli.RunAsync(_app.Services, ["all", "--no-content"], new System.IO.StringWriter(), default, System.IO.TextWriter.Null));
        Assert.Equal(2, await IntegrityCli.RunAsync(_app.Services, ["--bogus"], new System.IO.StringWriter(), default, System.IO.TextWriter.Null));
    }

    [Fact]
    public async Task One_changed_byte_in_an_events_json_is_named_with_its_file_and_event()
    {
        var tampered = await _integrity.SealedHistoryAsync();
        await _integrity.SealedHistoryAsync();
        var target = await _integrity.EventAsync(tampered.CaseId, "submission_received");

        await _integrity.SqlAsync("UPDATE {schema}.mt_events SET data = replace(data::text, 'Antrag auf Baugenehmigung', 'Antrag auf Baugenehmigunh')::jsonb WHERE id = @id", ("id", target.Id));
        var (report, exit, cli) = await VerifyAllAsync();

        Assert.False(report.Intact);
        var file = await SameAsTheFileCheckAsync(report, tampered.FileId);
        var first = file.FirstMismatch;
        Assert.Equal(("event-altered", tampered.CaseId, "case", target.Version, target.Id, "submission_received"),
            (first.Kind, first.StreamId, first.StreamKind, (long)first.Version!, (Guid)first.EventId!, first.EventType));
        Assert.Single(file.Problems, p => p.Kind.StartsWith("event-", StringComparison.Ordinal));
        Assert.Contains(file.Problems, p => p.Kind == "seal-leaf-mismatch" && p.StreamId == tampered.CaseId);
        Assert.Empty(report.OtherProblems);
        Assert.Equal(1, exit);
        Assert.Contains($"MISMATCH {file.Reference}: event-altered in case {tampered.CaseId} at version {target.Version} (event {target.Id})", cli, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_event_row_is_named_with_its_file_and_event()
    {
        var tampered = await _integrity.SealedHistoryAsync();
        await _integrity.SealedHistoryAsync();
        var target = await _integrity.EventAsync(tampered.CaseId, "document_added");

        await _integrity.SqlAsync("DELETE FROM {schema}.mt_events WHERE id = @id", ("id", target.Id));
        var (report, exit, _) = await VerifyAllAsync();

        var first = (await SameAsTheFileCheckAsync(report, tampered.FileId)).FirstMismatch;
        Assert.Equal(("event-missing", tampered.CaseId, target.Version, target.Id), (first.Kind, first.StreamId, (long)first.Version!, (Guid)first.EventId!));
        Assert.Equal(1, exit);
    }

    [Fact]
    public async Task Two_swapped_events_are_named_with_their_file()
    {
        var tampered = await _integrity.SealedHistoryAsync();
        await _integrity.SealedHistoryAsync();
        var first = await _integrity.EventAsync(tampered.CaseId, "document_added");

        await _integrity.SwapAsync(tampered.CaseId, first.Version);
        var (report, exit, _) = await VerifyAllAsync();

        var mismatch = (await SameAsTheFileCheckAsync(report, tampered.FileId)).FirstMismatch;
        Assert.Equal(("event-reordered", tampered.CaseId, first.Version), (mismatch.Kind, mismatch.StreamId, (long)mismatch.Version!));
        Assert.Equal(1, exit);
    }

    [Fact]
    public async Task One_changed_byte_of_a_blob_is_named_with_the_file_and_event_that_reference_it()
    {
        var tampered = await _integrity.SealedHistoryAsync();
        await _integrity.SealedHistoryAsync();
        var added = await _integrity.EventAsync(tampered.CaseId, "document_added");
        var sha = ((DocumentAdded)added.Data).Content.Sha256;

        await _integrity.FlipBlobByteAsync(sha);
        var (report, exit, _) = await VerifyAllAsync();

        var problem = Assert.Single((await SameAsTheFileCheckAsync(report, tampered.FileId)).Problems);
        Assert.Equal(("blob-altered", sha, tampered.CaseId, "case", added.Id), (problem.Kind, problem.Sha256, problem.StreamId, problem.StreamKind, (Guid)problem.EventId!));
        Assert.Equal(1, exit);
        Assert.True((await Integrity.VerifyAllAsync(content: false, null, default)).Intact);
    }

    [Fact]
    public async Task A_forged_seal_root_is_reported_once_for_the_store()
    {
        var history = await _integrity.SealedHistoryAsync();
        await _integrity.SealedHistoryAsync();

        await _integrity.SqlAsync("""
            ALTER TABLE {schema}.ecase_seals DISABLE TRIGGER ecase_append_only;
            UPDATE {schema}.ecase_seals SET root = sha256(root) WHERE id = (SELECT max(seal_id) FROM {schema}.ecase_seal_leaves WHERE stream_id = @s);
            ALTER TABLE {schema}.ecase_seals ENABLE TRIGGER ecase_append_only;
            """, ("s", history.CaseId));
        var (report, exit, _) = await VerifyAllAsync();

        Assert.False(report.Intact);
        Assert.Empty(report.Files);
        Assert.Single(report.OtherProblems, p => p.Kind == "seal-root-mismatch" && p.Detail.Contains("leaves give root", StringComparison.Ordinal));
        Assert.Single(report.OtherProblems, p => p.Kind == "seal-signature-invalid");
        // The next seal names the true root as its previous one.
        Assert.All(report.OtherProblems.Where(p => p.Detail.Contains("previous root", StringComparison.Ordinal)), p => Assert.Equal("seal-root-mismatch", p.Kind));
        Assert.Equal(1, exit);
    }

    [Fact]
    public async Task A_removed_seal_breaks_the_chain_of_seals()
    {
        await _integrity.SealedHistoryAsync();
        await _integrity.SealedHistoryAsync();

        // The first seal with its leaves: what remains is consistent in itself, only the next seal's previous root disagrees.
        await _integrity.SqlAsync("""
            ALTER TABLE {schema}.ecase_seals DISABLE TRIGGER ecase_append_only;
            ALTER TABLE {schema}.ecase_seal_leaves DISABLE TRIGGER ecase_append_only;
            DELETE FROM {schema}.ecase_seal_leaves WHERE seal_id = 1;
            DELETE FROM {schema}.ecase_seals WHERE id = 1;
            ALTER TABLE {schema}.ecase_seals ENABLE TRIGGER ecase_append_only;
            ALTER TABLE {schema}.ecase_seal_leaves ENABLE TRIGGER ecase_append_only;
            """);
        var (report, _, _) = await VerifyAllAsync();

        Assert.False(report.Intact);
        Assert.Empty(report.Files);
        var problem = Assert.Single(report.OtherProblems);
        Assert.Equal("seal-root-mismatch", problem.Kind);
        Assert.Contains("seals 1 to 1 are missing", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_canonical_form_rendered_from_the_columns_is_the_one_PostgreSQL_renders()
    {
        await _integrity.SealedHistoryAsync();
        await _integrity.SqlAsync("CREATE TABLE {schema}.canonical_probe (LIKE {schema}.mt_events)");
        var odd = "a\"b\\c\u0001\u001f\n\r\t\b\f\u007f ä€😀";
        var rows = new (string Type, string? DotnetType, string? Tenant, DateTime At, string Data)[]
        {
            (odd, null, null, new DateTime(1969, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_990), """{"s": "x"}"""),
            ("case_renamed", odd, "mandant \"7\"", new DateTime(2026, 11, 29, 12, 34, 56, DateTimeKind.Utc).AddTicks(10), """{"t": "line\nbreak \"q\" \\ ä 😀", "n": 1.50, "e": 1e3, "x": [true, null, {}]}"""),
            ("x", "y", "*DEFAULT*", new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(5_000_000), "[]"),
        };
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            await _integrity.SqlAsync(
                "INSERT INTO {schema}.canonical_probe (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type) VALUES (@seq, @id, @stream, @v, @data::jsonb, @type, @at, @tenant, @dotnet)",
                ("seq", (long)(-i - 1)), ("id", Guid.NewGuid()), ("stream", Guid.NewGuid()), ("v", (long)i + 1), ("data", r.Data),
                ("type", r.Type), ("at", r.At), ("tenant", (object?)r.Tenant ?? DBNull.Value), ("dotnet", (object?)r.DotnetType ?? DBNull.Value));
        }

        var sql = new IntegritySql(new StoreSchema(_app.Schema));
        await using var conn = new NpgsqlConnection(ECaseApp.ConnectionString);
        await conn.OpenAsync();
        var compared = 0;
        foreach (var table in new[] { "canonical_probe", "mt_events" })
        {
            await using var cmd = new NpgsqlCommand(
                $"SELECT e.seq_id, e.id, e.stream_id, e.version, e.type, e.mt_dotnet_type, e.tenant_id, e.timestamp, e.data, convert_to({sql.Canonical}, 'UTF8') FROM {_app.Schema}.{table} e", conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var rendered = CanonicalText.Render(reader.GetInt64(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt64(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<DateTime>(7), reader.GetFieldValue<byte[]>(8));
                Assert.Equal(System.Text.Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(9)), System.Text.Encoding.UTF8.GetString(rendered));
                compared++;
            }
        }

        Assert.True(compared > rows.Length, $"{compared} rows compared");
    }
}
