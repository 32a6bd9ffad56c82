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
    public async Task The_job_deletes_the_copies_of_expired_inspections_once_they_are_old_enough_and_keeps_those_still_shown()
    {
        var given = new Given(_app);
        var file = await InspectionTests.FileAsync(given);
        var sha = await InspectionTests.ShaOfAsync(given, file.CaseA, file.DocumentA);
        var clerk = Client("clerk-ha");
        var today = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        async Task GrantedAsync(string user, int days, bool box)
        {
            var citizen = Client(user);
            var id = (await (await citizen.PostJsonAsync("/api/citizen/inspections", new { fileReference = file.File.Reference, reason = "Beteiligter", legalBasis = "Participant" }))
                .ReadAsync<InspectionCreated>()).InspectionId;
            if (box)
            {
                (await clerk.PostJsonAsync($"/api/inspections/{id}/redactions", new
                {
                    documentId = file.DocumentA, documentVersion = 1, page = 1, x = 60.0, y = 692.0, width = 300.0, height = 26.0, reasonCode = "ThirdPartyPersonalData",
                })).EnsureSuccessStatusCode();
            }

            (await (await clerk.PostJsonAsync($"/api/inspections/{id}/grant", new { wholeFile = true, expiresOn = today.AddDays(days), downloadAllowed = true }))
                .ReadAsync<CommandResult>()).ToString();
            Assert.Equal(HttpStatusCode.OK, (await citizen.GetAsync($"/api/citizen/inspections/{id}/documents/{file.DocumentA}/pages/1")).StatusCode);
        }

        await GrantedAsync("citizen", days: 1, box: true);
        await GrantedAsync("citizen-2", days: 30, box: false);
        var made = InspectionTests.CopiesOf(_app, sha);
        Assert.Equal(2, made.Redacted.Length);
        Assert.Equal(2, made.Pages.Length);

        var expiry = _app.Services.GetRequiredService<InspectionExpiry>();
        _clock.Offset = TimeSpan.FromDays(2);
        Assert.Equal(1, await expiry.RunOnceAsync(default));
        // Just made: a sweep leaves young copies alone (one may belong to a view that changed while it ran).
        var young = InspectionTests.CopiesOf(_app, sha);
        Assert.Equal(made.Redacted, young.Redacted);
        Assert.Equal(made.Pages, young.Pages);

        var root = InspectionCopies.Directory(
            _app.Services.GetRequiredService<IOptions<InspectionOptions>>().Value, _app.Services.GetRequiredService<IOptions<ContentStoreOptions>>().Value);
        foreach (var path in System.IO.Directory.EnumerateFiles(root, "*", System.IO.SearchOption.AllDirectories))
            System.IO.File.SetLastWriteTimeUtc(path, DateTime.UtcNow - InspectionExpiry.CopyMinAge - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await expiry.RunOnceAsync(default));

        var left = InspectionTests.CopiesOf(_app, sha);
        Assert.Single(left.Redacted);
        Assert.Single(left.Pages);
        Assert.Contains(left.Redacted[0], made.Redacted);
        Assert.StartsWith(left.Redacted[0][..^4], left.Pages[0], StringComparison.Ordinal);
        // The sources are not per inspection and stay; the open inspection is still shown from what is left.
        Assert.NotEmpty(System.IO.Directory.EnumerateFiles(System.IO.Path.Combine(root, "sources"), sha + "*"));
        Assert.Equal(0, await expiry.SweepCopiesAsync(TimeSpan.Zero, default));
    }
}
