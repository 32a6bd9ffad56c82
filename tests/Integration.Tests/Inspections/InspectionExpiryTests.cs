using System.Net;
using System.Net.Http.Headers;
using ECase.Application.Common;
using ECase.Application.Inspections;
using ECase.Domain.Inspections;
using ECase.Application.Content;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ECase.Integration.Tests.Inspections;

/// <summary>The real clock, moved forward by the test.</summary>
public sealed class MovableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

/// <summary>Expiry needs a clock the test can move, so these tests get a host of their own.</summary>
public sealed class InspectionExpiryTests : IAsyncLifetime
{
    private readonly MovableClock _clock = new();
    private readonly ECaseApp _app;

    public InspectionExpiryTests() => _app = ECaseApp.WithClock(_clock);

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    private HttpClient Client(string user)
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _app.TokenFor(user, TimeSpan.FromDays(10), DateTime.UtcNow));
        return client;
    }

    [Fact]
    public async Task After_the_expiry_date_every_document_route_answers_404_and_the_job_records_the_expiry()
    {
        var given = new Given(_app);
        var file = await InspectionTests.FileAsync(given);
        var citizen = Client("citizen");
        var clerk = Client("clerk-ha");
        var id = (await (await citizen.PostJsonAsync("/api/citizen/inspections", new { fileReference = file.File.Reference, reason = "Beteiligter", legalBasis = "Participant" }))
            .ReadAsync<InspectionCreated>()).InspectionId;
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        (await (await clerk.PostJsonAsync($"/api/inspections/{id}/grant", new { wholeFile = true, expiresOn = today.AddDays(1), downloadAllowed = true }))
            .ReadAsync<CommandResult>()).ToString();
        string[] routes =
        [
            $"/api/citizen/inspections/{id}/documents", $"/api/citizen/inspections/{id}/documents/{file.DocumentA}/pages/1",
            $"/api/citizen/inspections/{id}/documents/{file.DocumentA}/download",
        ];
        foreach (var path in routes) Assert.Equal(HttpStatusCode.OK, (await citizen.GetAsync(path)).StatusCode);

        var expiry = _app.Services.GetRequiredService<InspectionExpiry>();
        _clock.Offset = TimeSpan.FromDays(1);
        Assert.Equal(0, await expiry.RunOnceAsync(default)); // the last day is still granted
        foreach (var path in routes) Assert.Equal(HttpStatusCode.OK, (await citizen.GetAsync(path)).StatusCode);

        _clock.Offset = TimeSpan.FromDays(2);
        // Access ends with the date, before the job has run…
        foreach (var path in routes) await Problem.AssertAsync(await citizen.GetAsync(path), HttpStatusCode.NotFound, "inspection-not-open");
        // …and the job records it, once.
        Assert.Equal(1, await expiry.RunOnceAsync(default));
        Assert.Equal(0, await expiry.RunOnceAsync(default));
        Assert.Equal(InspectionStatus.Expired, (await (await citizen.GetAsync($"/api/citizen/inspections/{id}")).ReadAsync<InspectionSummary>()).Status);
        foreach (var path in routes) await Problem.AssertAsync(await citizen.GetAsync(path), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_job_deletes_the_copies_of_expired_and_withdrawn_inspections_and_keeps_those_of_open_ones()
    {
        var given = new Given(_app);
        var file = await InspectionTests.FileAsync(given);
        var sha = await InspectionTests.ShaOfAsync(given, file.CaseA, file.DocumentA);
        var clerk = Client("clerk-ha");
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        async Task<(Guid Id, HttpClient Citizen)> GrantedAsync(string user, int days)
        {
            var citizen = Client(user);
            var id = (await (await citizen.PostJsonAsync("/api/citizen/inspections", new { fileReference = file.File.Reference, reason = "Beteiligter", legalBasis = "Participant" }))
                .ReadAsync<InspectionCreated>()).InspectionId;
            (await (await clerk.PostJsonAsync($"/api/inspections/{id}/grant", new { wholeFile = true, expiresOn = today.AddDays(days), downloadAllowed = true }))
                .ReadAsync<CommandResult>()).ToString();
            Assert.Equal(HttpStatusCode.OK, (await citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/pages/1")).StatusCode);
            Assert.Single(InspectionTests.CopiesOf(_app, sha, id).Redacted);
            return (id, citizen);
        }

        var expiring = await GrantedAsync("citizen", 1);
        var withdrawn = await GrantedAsync("citizen", 30);
        var open = await GrantedAsync("citizen-2", 30);
        (await (await withdrawn.Citizen.PostJsonAsync($"/api/citizen/inspections/{withdrawn.Id}/withdraw", new { reason = "Erledigt" })).ReadAsync<CommandResult>()).ToString();
        // A copy named the way it was before the inspection was part of the name: no route asks for it any more.
        var root = InspectionCopies.Directory(
            _app.Services.GetRequiredService<IOptions<InspectionOptions>>().Value, _app.Services.GetRequiredService<IOptions<ContentStoreOptions>>().Value);
        var legacy = System.IO.Path.Combine(root, "redacted", $"{sha}-{new string('a', 64)}.pdf");
        await System.IO.File.WriteAllTextAsync(legacy, "%PDF-1.7 stale");
        // A copy made for an inspection this database does not know (the folder may be shared with another instance).
        var foreign = System.IO.Path.Combine(root, "redacted", $"{sha}-{Guid.NewGuid():N}-{new string('b', 64)}.pdf");
        await System.IO.File.WriteAllTextAsync(foreign, "%PDF-1.7 foreign");

        var expiry = _app.Services.GetRequiredService<InspectionExpiry>();
        _clock.Offset = TimeSpan.FromDays(2);
        Assert.Equal(1, await expiry.RunOnceAsync(default));

        Assert.Empty(InspectionTests.CopiesOf(_app, sha, expiring.Id).Redacted);
        Assert.Empty(InspectionTests.CopiesOf(_app, sha, expiring.Id).Pages);
        Assert.Empty(InspectionTests.CopiesOf(_app, sha, withdrawn.Id).Redacted);
        Assert.Empty(InspectionTests.CopiesOf(_app, sha, withdrawn.Id).Pages);
        Assert.False(System.IO.File.Exists(legacy));
        Assert.True(System.IO.File.Exists(foreign));
        System.IO.File.Delete(foreign);
        Assert.Single(InspectionTests.CopiesOf(_app, sha, open.Id).Redacted);
        Assert.Single(InspectionTests.CopiesOf(_app, sha, open.Id).Pages);
        // The sources (not per inspection) stay, and the open inspection is still shown.
        Assert.NotEmpty(System.IO.Directory.EnumerateFiles(System.IO.Path.Combine(root, "sources"), sha + "*"));
        Assert.Equal(HttpStatusCode.OK, (await open.Citizen.GetAsync($"/api/citizen/inspections/{open.Id}/documents/{file.DocumentA}/pages/2")).StatusCode);
        Assert.Equal(0, await expiry.SweepCopiesAsync(default));
    }
}
