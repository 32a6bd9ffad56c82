using ECase.Application.Files;
using ECase.Projections.Search;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ECase.Integration.Tests;

/// <summary>The index is a projection: stopped mid-way it resumes from its last commit, deleted it is rebuilt.</summary>
public sealed class SearchRecoveryTests(ITestOutputHelper output)
{
    private const int Files = 40;

    [Fact]
    public async Task Indexing_killed_in_the_middle_resumes_from_its_last_commit_without_losing_or_duplicating_entries()
    {
        var schema = $"t_{Guid.NewGuid():N}"[..20];
        var content = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-test-{Guid.NewGuid():N}");
        var fileIds = new List<Guid>();

        // 1. Events are written while no indexer runs.
        await using (var writer = new ECaseApp(schema, content, new() { ["Search:Indexing"] = "false" }, ownsData: false))
        {
            var given = new Given(writer);
            var plan = await given.PlanUnitAsync();
            for (var i = 0; i < Files; i++)
            {
                var file = await given.FileAsync(planUnit: plan, title: $"Wiederanlauf Akte {i}");
                await given.CaseAsync(file.Id, title: $"Wiederanlauf Vorgang {i}");
                fileIds.Add(file.Id);
            }
        }

        // 2. An indexer committing after every event is stopped while it is busy.
        long high;
        await using (var first = new ECaseApp(schema, content, new() { ["Search:BatchSize"] = "1", ["Search:PollInterval"] = "00:00:00.010" }, ownsData: false))
        {
            var host = first.Services.GetRequiredService<SearchIndexHost>();
            high = await host.HighWaterAsync(default);
            while (host.Current.Position < high / 4) await Task.Delay(5);
        }

        var committed = CommittedPosition(content + "-search");
        output.WriteLine($"stopped at event {committed} of {high}");
        Assert.InRange(committed, 1, high - 1);

        // 3. A restarted indexer resumes from that commit and ends with every entry exactly once.
        await using (var second = new ECaseApp(schema, content, [], ownsData: false))
        {
            var host = second.Services.GetRequiredService<SearchIndexHost>();
            await second.WaitForSearchAsync();
            AssertComplete(second, host, fileIds);
        }

        // 4. Deleting the index is safe: the next start builds it again from the events.
        System.IO.Directory.Delete(content + "-search", recursive: true);
        await using var third = new ECaseApp(schema, content, [], ownsData: true);
        var rebuilt = third.Services.GetRequiredService<SearchIndexHost>();
        await third.WaitForSearchAsync();
        AssertComplete(third, rebuilt, fileIds);
    }

    private static long CommittedPosition(string root)
    {
        var name = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "current")).Trim();
        using var index = new SearchIndex(System.IO.Path.Combine(root, name));
        return index.Position;
    }

    private static void AssertComplete(ECaseApp app, SearchIndexHost host, List<Guid> fileIds)
    {
        var scope = new SearchScope(null, ECase.Domain.Common.Confidentiality.TopSecret);
        var files = host.Search(new SearchRequest("Wiederanlauf", scope, PageSize: 100, Type: "file"));
        var cases = host.Search(new SearchRequest("Wiederanlauf", scope, PageSize: 100, Type: "case"));
        Assert.Equal(Files, files.Total);
        Assert.Equal(Files, cases.Total);
        Assert.Equal(fileIds.Order(), files.Hits.Select(h => h.FileId).Order());
        Assert.Equal(fileIds.Order(), cases.Hits.Select(h => h.FileId).Order());
        // one plan unit, every file and every case: nothing more (a duplicate would add a document)
        Assert.Equal(1 + (2 * Files), host.Current.DocumentCount);
        _ = app;
    }
}
