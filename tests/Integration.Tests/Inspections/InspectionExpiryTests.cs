using System.Net;
using System.Net.Http.Headers;
using ECase.Application.Common;
using ECase.Application.Inspections;
using ECase.Domain.Inspections;
using Microsoft.Extensions.DependencyInjection;

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
}
