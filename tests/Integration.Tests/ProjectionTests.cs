using System.Text.Json;
using ECase.Projections;
using ECase.Projections.Audit;
using ECase.Projections.Cases;
using ECase.Projections.Files;
using Marten;
using Marten.Events;
using Npgsql;

namespace ECase.Integration.Tests;

[Collection(ApiCollection.Name)]
public sealed class ProjectionTests(ECaseApp app)
{
    private readonly Given _given = new(app);

    private async Task BuildSomeHistoryAsync()
    {
        var (fileId, caseId) = await _given.FileWithCaseAsync();
        // An image: no follow-on jobs that would append to the case while the test compares.
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Guid.NewGuid().ToByteArray()];
        await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions", Given.Submission(files: ("Foto.png", "image/png", png)))).ReadAsync<object>();
        await (await _given.ClerkHa.PostJsonAsync($"/api/cases/{caseId}/rename", new { title = "Umbenannt" })).ReadAsync<object>();
        await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/close", null)).ReadAsync<object>();
        await (await _given.ClerkHa.PostAsync($"/api/files/{fileId}/close", null)).ReadAsync<object>();
        await _given.FileWithCaseAsync(_given.ClerkOa);
    }

    private static string Canonical<T>(IEnumerable<T> docs, Func<T, string> key) =>
        JsonSerializer.Serialize(docs.OrderBy(key, StringComparer.Ordinal).ToList(), ECaseApp.Json);

    [Fact]
    public async Task The_audit_trail_rebuilt_from_the_events_equals_the_live_one()
    {
        await BuildSomeHistoryAsync();
        await app.WaitForJobsAsync();
        await app.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(15));
        string live;
        await using (var session = app.Store.QuerySession())
            live = Canonical(await session.Query<AuditEntry>().ToListAsync(), e => e.Id.ToString());
        Assert.Equal(await app.EventCountAsync(), JsonDocument.Parse(live).RootElement.GetArrayLength());

        await using (var session = app.Store.LightweightSession())
        {
            session.DeleteWhere<AuditEntry>(_ => true);
            await session.SaveChangesAsync();
        }

        using var daemon = await app.Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync(ProjectionSetup.AuditTrail, TimeSpan.FromMinutes(1), CancellationToken.None);

        await using (var session = app.Store.QuerySession())
            Assert.Equal(live, Canonical(await session.Query<AuditEntry>().ToListAsync(), e => e.Id.ToString()));
    }

    [Fact]
    public async Task File_overviews_and_case_details_rebuilt_from_the_events_equal_the_live_ones()
    {
        await BuildSomeHistoryAsync();
        await app.WaitForJobsAsync();
        string liveFiles, liveCases;
        await using (var session = app.Store.QuerySession())
        {
            liveFiles = Canonical(await session.Query<FileOverview>().ToListAsync(), f => f.Id.ToString());
            liveCases = Canonical(await session.Query<CaseDetails>().ToListAsync(), c => c.Id.ToString());
        }

        using var daemon = await app.Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<FileOverviewProjection>(CancellationToken.None);
        await daemon.RebuildProjectionAsync<CaseDetailsProjection>(CancellationToken.None);

        await using (var session = app.Store.QuerySession())
        {
            Assert.Equal(liveFiles, Canonical(await session.Query<FileOverview>().ToListAsync(), f => f.Id.ToString()));
            Assert.Equal(liveCases, Canonical(await session.Query<CaseDetails>().ToListAsync(), c => c.Id.ToString()));
        }
    }

    [Theory]
    [InlineData("update {schema}.mt_doc_accesslogentry set data = data")]
    [InlineData("delete from {schema}.mt_doc_accesslogentry")]
    [InlineData("truncate {schema}.mt_doc_accesslogentry")]
    public async Task The_access_log_refuses_changes_even_from_sql(string sql)
    {
        var (fileId, _) = await _given.FileWithCaseAsync();
        await (await _given.ClerkHa.GetAsync($"/api/files/{fileId}")).ReadAsync<object>();
        var before = await app.ExecuteSqlScalarAsync<long>("select count(*) from {schema}.mt_doc_accesslogentry");
        Assert.True(before > 0);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => app.ExecuteSqlScalarAsync<object>(sql));
        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(before, await app.ExecuteSqlScalarAsync<long>("select count(*) from {schema}.mt_doc_accesslogentry"));
    }

    [Fact]
    public async Task Every_event_type_names_its_actor_and_time_for_the_audit_trail()
    {
        var types = typeof(ECase.Domain.Files.FileOpened).Assembly.GetTypes()
            .Where(t => t.Namespace is "ECase.Domain.Files" or "ECase.Domain.Cases" or "ECase.Domain.FilePlans" && !t.IsNested && (t.Name.EndsWith("ed", StringComparison.Ordinal) || t.Name.EndsWith("ToFile", StringComparison.Ordinal)) && t.IsClass && !t.IsAbstract)
            .ToList();
        Assert.True(types.Count >= 14, $"found only {types.Count} event types");
        foreach (var t in types)
        {
            Assert.Single(t.GetProperties(), p => p.PropertyType == typeof(ECase.Domain.Common.Actor));
            Assert.Contains(t.GetProperties(), p => p.PropertyType == typeof(DateTimeOffset) && p.Name.EndsWith("At", StringComparison.Ordinal) && p.Name != "ReceivedAt");
        }
    }
}
