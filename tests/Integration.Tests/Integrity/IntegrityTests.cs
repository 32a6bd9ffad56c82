using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ECase.Application.Integrity;
using ECase.Domain.Integrity;
using ECase.Infrastructure.Integrity;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;
using Xunit.Abstractions;

namespace ECase.Integration.Tests.Integrity;

/// <summary>Tampering changes history, so these tests get their own host and schema: no other test sees the damage.</summary>
[CollectionDefinition(Name)]
public sealed class IntegrityCollection : ICollectionFixture<ECaseApp>
{
    public const string Name = "integrity";
}

[Collection(IntegrityCollection.Name)]
public sealed class IntegrityTests(ECaseApp app, ITestOutputHelper output)
{
    private readonly IntegrityGiven _integrity = new(app);
    private readonly Given _given = new(app);
    private readonly HttpClient _auditor = app.ClientFor("auditor");

    private Task<IntegrityGiven.History> SealedHistoryAsync() => _integrity.SealedHistoryAsync();

    private Task SqlAsync(string sql, params (string Name, object Value)[] args) => _integrity.SqlAsync(sql, args);

    private Task<IEvent> EventAsync(Guid streamId, string type) => _integrity.EventAsync(streamId, type);

    private async Task<VerificationReport> VerifyAsync(Guid fileId)
    {
        var report = await (await _auditor.PostAsync($"/api/files/{fileId}/verify", null)).ReadAsync<VerificationReport>();
        output.WriteLine($"verify {fileId}: intact={report.Intact} events={report.Events} streams={report.Streams} blobs={report.Blobs} seals={report.Seals} in {report.Seconds * 1000:F1} ms");
        foreach (var p in report.Problems) output.WriteLine($"  {p.Kind} {p.StreamKind} v{p.Version} {p.EventType}: {p.Detail}");
        return report;
    }

    [Fact]
    public async Task An_untouched_file_verifies_clean_from_the_endpoint_and_the_command_line()
    {
        var history = await SealedHistoryAsync();

        var report = await VerifyAsync(history.FileId);

        Assert.True(report.Intact);
        Assert.Empty(report.Problems);
        Assert.Null(report.FirstMismatch);
        Assert.Equal((2, 0), (report.Streams, report.UnchainedEvents));
        Assert.Equal(2 + 6, report.Events);
        Assert.Equal(2, report.Blobs);
        Assert.True(report.Seals >= 1);

        var cli = new System.IO.StringWriter();
        Assert.Equal(0, await IntegrityCli.RunAsync(app.Services, [history.FileId.ToString()], cli));
        Assert.Contains("OK ", cli.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, await IntegrityCli.RunAsync(app.Services, [Guid.NewGuid().ToString()], new System.IO.StringWriter()));
        Assert.Equal("not-found", (await (await _auditor.PostAsync($"/api/files/{Guid.NewGuid()}/verify", null)).ProblemAsync(404)).Code());
        Assert.Equal(403, (int)(await _given.ClerkHa.PostAsync($"/api/files/{history.FileId}/verify", null)).StatusCode);
    }

    [Fact]
    public async Task The_evidence_for_the_archive_holds_the_chain_head_and_a_signed_seal_with_its_inclusion_proof()
    {
        var history = await SealedHistoryAsync();

        var evidence = await (await _auditor.GetAsync($"/api/files/{history.FileId}/integrity")).ReadAsync<FileIntegrityEvidence>();

        Assert.Equal(history.FileId, evidence.File.StreamId);
        var caseStream = Assert.Single(evidence.Cases);
        foreach (var stream in new[] { evidence.File, caseStream })
        {
            var seal = stream.LatestSeal!;
            Assert.Equal((stream.HeadVersion, stream.HeadHash), (seal.LeafVersion, seal.LeafHash));
            Assert.True(MerkleTree.VerifyProof(new SealLeaf(stream.StreamId, seal.LeafVersion, Convert.FromHexString(seal.LeafHash)), seal.Proof, Convert.FromHexString(seal.Seal.Root)));
            Assert.Contains($"root: {seal.Seal.Root}", seal.Seal.Statement, StringComparison.Ordinal);
            var cms = new SignedCms(new ContentInfo(Encoding.UTF8.GetBytes(seal.Seal.Statement)), detached: true);
            cms.Decode(Convert.FromBase64String(seal.Seal.Signature));
            cms.CheckSignature(new X509Certificate2Collection(X509Certificate2.CreateFromPem(evidence.ServerCertificatePem)), verifySignatureOnly: true);
        }

        Assert.Equal(6, caseStream.HeadVersion);
    }

    [Fact]
    public async Task One_changed_byte_in_an_events_json_is_named_with_its_file_and_event()
    {
        var history = await SealedHistoryAsync();
        var target = await EventAsync(history.CaseId, "submission_received");

        await SqlAsync("UPDATE {schema}.mt_events SET data = replace(data::text, 'Antrag auf Baugenehmigung', 'Antrag auf Baugenehmigunh')::jsonb WHERE id = @id", ("id", target.Id));
        var report = await VerifyAsync(history.FileId);

        Assert.False(report.Intact);
        Assert.Equal(history.FileId, report.FileId);
        var first = report.FirstMismatch!;
        Assert.Equal(("event-altered", history.CaseId, "case", target.Version, target.Id, "submission_received"),
            (first.Kind, first.StreamId, first.StreamKind, (long)first.Version!, (Guid)first.EventId!, first.EventType));
        // Only that event: its successors still match the chain, and the seal's leaf no longer matches the recomputed head.
        Assert.Single(report.Problems, p => p.Kind.StartsWith("event-", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Kind == "seal-leaf-mismatch" && p.StreamId == history.CaseId);

        var cli = new System.IO.StringWriter();
        Assert.Equal(1, await IntegrityCli.RunAsync(app.Services, [report.Reference!], cli));
        Assert.Contains($"MISMATCH {report.Reference}: event-altered in case {history.CaseId} at version {target.Version} (event {target.Id})", cli.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_event_row_is_detected()
    {
        var history = await SealedHistoryAsync();
        var target = await EventAsync(history.CaseId, "document_added");

        await SqlAsync("DELETE FROM {schema}.mt_events WHERE id = @id", ("id", target.Id));
        var report = await VerifyAsync(history.FileId);

        Assert.False(report.Intact);
        Assert.Equal(("event-missing", history.CaseId, target.Version, target.Id), (report.FirstMismatch!.Kind, report.FirstMismatch.StreamId, report.FirstMismatch.Version, report.FirstMismatch.EventId));
    }

    [Fact]
    public async Task Deleting_the_newest_event_and_its_chain_record_is_caught_by_the_seal()
    {
        var history = await SealedHistoryAsync();
        var last = await EventAsync(history.CaseId, "case_renamed");

        await SqlAsync("""
            ALTER TABLE {schema}.ecase_event_chain DISABLE TRIGGER ecase_append_only;
            DELETE FROM {schema}.ecase_event_chain WHERE event_id = @id;
            DELETE FROM {schema}.mt_events WHERE id = @id;
            UPDATE {schema}.mt_streams SET version = version - 1 WHERE id = @stream;
            ALTER TABLE {schema}.ecase_event_chain ENABLE TRIGGER ecase_append_only;
            """, ("id", last.Id), ("stream", history.CaseId));
        var report = await VerifyAsync(history.FileId);

        Assert.False(report.Intact);
        Assert.Contains(report.Problems, p => p.Kind == "event-missing" && p.StreamId == history.CaseId && p.Version == last.Version);
    }

    [Fact]
    public async Task Two_swapped_events_are_detected()
    {
        var history = await SealedHistoryAsync();
        var first = await EventAsync(history.CaseId, "document_added");

        await _integrity.SwapAsync(history.CaseId, first.Version);
        var report = await VerifyAsync(history.FileId);

        Assert.False(report.Intact);
        Assert.Equal(("event-reordered", history.CaseId, first.Version), (report.FirstMismatch!.Kind, report.FirstMismatch.StreamId, report.FirstMismatch.Version));
    }

    [Fact]
    public async Task One_changed_byte_of_a_blob_on_disk_is_detected()
    {
        var history = await SealedHistoryAsync();
        var added = (Domain.Cases.DocumentAdded)(await EventAsync(history.CaseId, "document_added")).Data;

        await _integrity.FlipBlobByteAsync(added.Content.Sha256);
        var report = await VerifyAsync(history.FileId);

        Assert.False(report.Intact);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(("blob-altered", added.Content.Sha256, history.CaseId), (problem.Kind, problem.Sha256, problem.StreamId));
    }

    [Fact]
    public async Task Rewriting_an_event_and_recomputing_its_chain_without_the_server_key_is_caught_by_the_seal()
    {
        var history = await SealedHistoryAsync();
        var target = await EventAsync(history.CaseId, "case_renamed");

        // A database administrator changes the event and recomputes its chain hash the way ECase would: only the signed seal disagrees.
        await SqlAsync("UPDATE {schema}.mt_events SET data = jsonb_set(data, '{Title}', '\"Bauantrag Birkenweh\"') WHERE id = @id", ("id", target.Id));
        var sql = new IntegritySql(new Infrastructure.Persistence.StoreSchema(app.Schema));
        byte[] previous;
        string canonical;
        await using (var conn = new NpgsqlConnection(ECaseApp.ConnectionString))
        {
            await conn.OpenAsync();
            await using var read = new NpgsqlCommand($"SELECT (SELECT hash FROM {sql.Chain} WHERE stream_id = @s AND version = @v - 1), {sql.Canonical} FROM {sql.Events} e WHERE e.id = @id", conn);
            read.Parameters.AddWithValue("s", history.CaseId);
            read.Parameters.AddWithValue("v", target.Version);
            read.Parameters.AddWithValue("id", target.Id);
            await using var reader = await read.ExecuteReaderAsync();
            await reader.ReadAsync();
            (previous, canonical) = ((byte[])reader[0], reader.GetString(1));
        }

        await SqlAsync("""
            ALTER TABLE {schema}.ecase_event_chain DISABLE TRIGGER ecase_append_only;
            UPDATE {schema}.ecase_event_chain SET hash = @h WHERE event_id = @id;
            ALTER TABLE {schema}.ecase_event_chain ENABLE TRIGGER ecase_append_only;
            """, ("h", ChainHash.Next(previous, canonical)), ("id", target.Id));
        var report = await VerifyAsync(history.FileId);

        Assert.False(report.Intact);
        Assert.DoesNotContain(report.Problems, p => p.Kind.StartsWith("event-", StringComparison.Ordinal));
        var problem = Assert.Single(report.Problems);
        Assert.Equal(("seal-leaf-mismatch", history.CaseId, target.Version), (problem.Kind, problem.StreamId, problem.Version));
    }

    [Fact]
    public async Task A_forged_seal_root_is_detected_by_its_leaves_and_its_signature()
    {
        var history = await SealedHistoryAsync();

        await SqlAsync("""
            ALTER TABLE {schema}.ecase_seals DISABLE TRIGGER ecase_append_only;
            UPDATE {schema}.ecase_seals SET root = sha256(root) WHERE id = (SELECT max(seal_id) FROM {schema}.ecase_seal_leaves WHERE stream_id = @s);
            ALTER TABLE {schema}.ecase_seals ENABLE TRIGGER ecase_append_only;
            """, ("s", history.CaseId));
        var report = await VerifyAsync(history.FileId);

        Assert.False(report.Intact);
        Assert.Contains(report.Problems, p => p.Kind == "seal-root-mismatch");
        Assert.Contains(report.Problems, p => p.Kind == "seal-signature-invalid");
        Assert.DoesNotContain(report.Problems, p => p.Kind.StartsWith("event-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chain_records_cannot_be_changed_through_the_application_database_role()
    {
        var history = await SealedHistoryAsync();

        var e = await Assert.ThrowsAsync<PostgresException>(() => SqlAsync("UPDATE {schema}.ecase_event_chain SET hash = hash WHERE stream_id = @s", ("s", history.CaseId)));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
    }
}
