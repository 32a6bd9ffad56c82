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
/// <see cref="InspectionOptions.ExpiryCheckInterval"/>, and then deletes the redacted copies no open inspection shows any more
/// (<see cref="SweepCopiesAsync(CancellationToken)"/>). Access does not wait for it: every route checks the date itself.
/// </summary>
public sealed class InspectionExpiry(
    IDocumentStore store, IServiceScopeFactory scopes, InspectionCopies copies, TimeProvider clock, IOptions<InspectionOptions> options,
    ILogger<InspectionExpiry> log) : BackgroundService
{
    /// <summary>One pass: expiry, then the sweep of the copies no open inspection shows. Returns how many inspections were closed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var expired = await ExpireAsync(ct);
        await SweepCopiesAsync(ct);
        return expired;
    }

    /// <summary>Copies younger than this stay in a sweep: one may have been made for a view that changed while the sweep ran.</summary>
    public static readonly TimeSpan CopyMinAge = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Deletes the redacted copies (and their page images) that no open inspection shows any more: those of refused, expired,
    /// withdrawn or closed inspections, and those made for boxes or titles that have changed since. A copy is shared by every
    /// inspection with the same source, boxes and title, so what stays is what the open inspections' granted documents need
    /// now; a clerk's preview of a pending request is made again when asked for. Returns how many files were deleted.
    /// </summary>
    public async Task<int> SweepCopiesAsync(CancellationToken ct) => await SweepCopiesAsync(CopyMinAge, ct);

    /// <summary><see cref="SweepCopiesAsync(CancellationToken)"/> with another minimum age (tests: zero).</summary>
    public async Task<int> SweepCopiesAsync(TimeSpan minAge, CancellationToken ct)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        await using (var session = store.QuerySession())
        {
            var open = await session.Query<InspectionView>()
                .Where(i => i.Status == InspectionStatus.Granted || i.Status == InspectionStatus.PartlyGranted || i.Status == InspectionStatus.Requested)
                .ToListAsync(ct);
            foreach (var view in open)
            foreach (var d in view.Documents)
            {
                if (copies.SourceName(await InspectionDocuments.ContentAsync(session, d, ct)) is not { } source) continue;
                needed.Add(InspectionCopies.RedactedStem(source, InspectionDocuments.RedactionsOf(view, d.DocumentId, d.Version), InspectionDocuments.CopyTitle(view, d.Title)));
            }
        }

        var deleted = copies.DeleteRedactedExcept(needed, minAge);
        if (deleted > 0) log.LogInformation("Deleted {Count} redacted copies and page images that no open inspection shows", deleted);
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
                log.LogWarning(e, "Closing expired inspections or sweeping unneeded copies failed; trying again in {Interval}", options.Value.ExpiryCheckInterval);
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
