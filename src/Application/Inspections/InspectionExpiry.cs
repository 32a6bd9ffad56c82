using ECase.Domain.Inspections;
using ECase.Projections.Inspections;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wolverine;

namespace ECase.Application.Inspections;

/// <summary>
/// Records <c>InspectionExpired</c> for granted inspections past their expiry date, at start-up and then every
/// <see cref="InspectionOptions.ExpiryCheckInterval"/>, and then deletes the redacted copies made for inspections that are
/// finished (<see cref="SweepCopiesAsync"/>). Access does not wait for it: every route checks the date itself.
/// </summary>
public sealed class InspectionExpiry(
    IDocumentStore store, IServiceScopeFactory scopes, InspectionCopies copies, TimeProvider clock, IOptions<InspectionOptions> options,
    ILogger<InspectionExpiry> log) : BackgroundService
{
    /// <summary>One pass: expiry, then the sweep of finished inspections' copies. Returns how many inspections were closed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var expired = await ExpireAsync(ct);
        await SweepCopiesAsync(ct);
        return expired;
    }

    /// <summary>
    /// Deletes the redacted copies and their page images of inspections that are refused, expired, withdrawn or closed: no route
    /// shows them again. Copies of inspections this database does not know are left alone (the copies folder may be shared by
    /// instances on other databases, as the test hosts do). Returns how many files were deleted.
    /// </summary>
    public async Task<int> SweepCopiesAsync(CancellationToken ct)
    {
        var ids = copies.InspectionsWithCopies().ToArray();
        HashSet<Guid> finished = [];
        if (ids.Length > 0)
        {
            await using var session = store.QuerySession();
            var views = await session.Query<InspectionView>().Where(i => i.Id.IsOneOf(ids)).Select(i => new { i.Id, i.Status }).ToListAsync(ct);
            finished = [.. views.Where(v => v.Status.IsFinished()).Select(v => v.Id)];
        }

        var deleted = copies.DeleteCopiesOf(finished);
        if (deleted > 0) log.LogInformation("Deleted {Count} redacted copies and page images of finished inspections", deleted);
        return deleted;
    }

    private async Task<int> ExpireAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        List<Guid> due;
        await using (var session = store.QuerySession())
        {
            var granted = await session.Query<InspectionView>()
                .Where(i => i.Status == InspectionStatus.Granted || i.Status == InspectionStatus.PartlyGranted)
                .Select(i => new { i.Id, i.ExpiresOn }).ToListAsync(ct);
            due = [.. granted.Where(i => i.ExpiresOn is { } end && end < today).Select(i => i.Id)];
        }

        using var scope = scopes.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        foreach (var id in due) await bus.InvokeAsync(new ExpireInspection(id), ct);
        if (due.Count > 0) log.LogInformation("Closed {Count} expired inspection(s)", due.Count);
        return due.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Closing expired inspections or deleting their copies failed; trying again in {Interval}", options.Value.ExpiryCheckInterval);
            }

            try
            {
                await Task.Delay(options.Value.ExpiryCheckInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
