using ECase.Application.Submissions;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;

namespace ECase.Integration.Tests.Integrity;

/// <summary>Given-state and tampering for the integrity tests: a sealed history built through the API, plain SQL behind the application's back.</summary>
public sealed class IntegrityGiven(ECaseApp app)
{
    public sealed record History(Guid FileId, Guid CaseId, Guid DocumentId);

    public Given Given { get; } = new(app);

    public HttpClient Auditor { get; } = app.ClientFor("auditor");

    /// <summary>A file with a case, two submissions of images (no follow-on jobs) and a rename: chained and sealed.</summary>
    public async Task<History> SealedHistoryAsync()
    {
        var (fileId, caseId) = await Given.FileWithCaseAsync();
        Guid documentId = default;
        foreach (var name in new[] { "Lageplan", "Ansicht" })
        {
            byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Guid.NewGuid().ToByteArray(), .. new byte[4096]];
            var submission = await (await Given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions",
                Given.Submission($"Antrag auf Baugenehmigung {name}", ($"{name}.png", "image/png", png)))).ReadAsync<SubmissionRegistered>();
            documentId = submission.DocumentIds[0];
        }

        await (await Given.ClerkHa.PostJsonAsync($"/api/cases/{caseId}/rename", new { title = "Bauantrag Birkenweg" })).ReadAsync<object>();
        await app.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var seal = await Auditor.PostAsync("/api/integrity/seals", null);
        Assert.True(seal.IsSuccessStatusCode, await seal.Content.ReadAsStringAsync());
        return new History(fileId, caseId, documentId);
    }

    /// <summary>Runs SQL as the database owner; <c>{schema}</c> is the test host's schema.</summary>
    public async Task SqlAsync(string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(ECaseApp.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql.Replace("{schema}", app.Schema, StringComparison.Ordinal), conn);
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<IEvent> EventAsync(Guid streamId, string type)
    {
        await using var session = app.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(streamId)).First(e => e.EventTypeName == type);
    }

    public Task SwapAsync(Guid streamId, long version) => SqlAsync("""
        UPDATE {schema}.mt_events SET version = -1 WHERE stream_id = @s AND version = @a;
        UPDATE {schema}.mt_events SET version = @a WHERE stream_id = @s AND version = @b;
        UPDATE {schema}.mt_events SET version = @b WHERE stream_id = @s AND version = -1;
        """, ("s", streamId), ("a", version), ("b", version + 1));

    public async Task FlipBlobByteAsync(string sha256)
    {
        var path = app.StoredBlobs().Single(p => p.EndsWith(sha256, StringComparison.Ordinal));
        var bytes = await System.IO.File.ReadAllBytesAsync(path);
        bytes[100] ^= 0x01;
        await System.IO.File.WriteAllBytesAsync(path, bytes);
    }
}
