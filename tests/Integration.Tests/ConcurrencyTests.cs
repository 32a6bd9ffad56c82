using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ECase.Application.Cases;
using ECase.Domain.Cases;
using Marten;

namespace ECase.Integration.Tests;

[Collection(ApiCollection.Name)]
public sealed class ConcurrencyTests(ECaseApp app)
{
    private readonly Given _given = new(app);

    private HttpRequestMessage Rename(Guid caseId, string title, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/cases/{caseId}/rename") { Content = JsonContent.Create(new { title }) };
        if (ifMatch is not null) request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        return request;
    }

    [Fact]
    public async Task Of_writers_deciding_on_the_same_version_exactly_one_wins_and_the_others_get_412()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        var clients = Enumerable.Range(0, 8).Select(_ => app.ClientFor("clerk-ha")).ToList();
        var responses = await Task.WhenAll(clients.Select((c, i) => c.SendAsync(Rename(caseId, $"Titel {i}", "\"1\""))));

        var winners = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Single(winners);
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            Assert.Equal("precondition-failed", (await loser.ProblemAsync(412)).Code());

        await using var session = app.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(caseId);
        Assert.Equal(2, events.Count);
        var winningTitle = ((CaseRenamed)events[1].Data).Title;
        var view = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}")).ReadAsync<CaseView>();
        Assert.Equal(winningTitle, view.Case.Title);
        Assert.Equal("\"2\"", winners[0].Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Concurrent_writers_without_a_precondition_never_overwrite_each_other()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        var clients = Enumerable.Range(0, 8).Select(_ => app.ClientFor("clerk-ha")).ToList();
        var responses = await Task.WhenAll(clients.Select((c, i) => c.SendAsync(Rename(caseId, $"Titel {i}", null))));

        var ok = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        foreach (var conflict in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            Assert.Equal("concurrency-conflict", (await conflict.ProblemAsync(409)).Code());

        // Every accepted write is an event: nothing was lost, versions are dense.
        await using var session = app.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(caseId);
        Assert.Equal(1 + ok, events.Count);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(v => (long)v), events.Select(e => e.Version));
    }

    [Fact]
    public async Task A_stale_version_in_the_body_is_refused_with_409()
    {
        var (fileId, caseId) = await _given.FileWithCaseAsync();
        await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/close", null)).ReadAsync<ECase.Application.Common.CommandResult>();
        // The file is at version 3 now (opened, case added, case closed); a client that still holds version 2 loses.
        var stale = await _given.ClerkHa.PostJsonAsync($"/api/files/{fileId}/close", new { version = 2 });
        Assert.Equal("concurrency-conflict", (await stale.ProblemAsync(409)).Code());
        var current = await _given.ClerkHa.PostJsonAsync($"/api/files/{fileId}/close", new { version = 3 });
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
    }
}
