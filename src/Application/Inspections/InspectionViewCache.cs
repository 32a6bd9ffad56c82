using System.Collections.Concurrent;
using ECase.Domain.Inspections;
using ECase.Projections.Inspections;
using JasperFx.Events;
using Marten;
using Marten.Services;

namespace ECase.Application.Inspections;

/// <summary>
/// The citizen routes' <see cref="InspectionView"/>s, kept in memory (ADR 0020). ECase runs as one node (the async daemon
/// is Solo), and a view changes only through this process's commands, so every commit that appends to an inspection stream
/// evicts it, before the transaction and again after the commit (<see cref="InspectionViewInvalidation"/>); a read that
/// overlapped a commit does not keep what it read. A request that starts after a command has answered sees its effect.
/// Page views do not change the view and do not evict. Bounded: emptied when it holds <see cref="Capacity"/> views.
/// </summary>
public sealed class InspectionViewCache
{
    public const int Capacity = 20_000;

    private readonly ConcurrentDictionary<Guid, InspectionView> _views = new();
    private long _generation;

    public async Task<InspectionView?> LoadAsync(IQuerySession session, Guid id, CancellationToken ct)
    {
        if (_views.TryGetValue(id, out var hit)) return hit;
        var generation = Interlocked.Read(ref _generation);
        var view = await session.LoadAsync<InspectionView>(id, ct);
        if (view is null) return null;
        if (_views.Count >= Capacity) _views.Clear();
        _views[id] = view;
        // A commit that evicted while we were reading may have changed the view after we read it: do not keep it then.
        if (Interlocked.Read(ref _generation) != generation) _views.TryRemove(new KeyValuePair<Guid, InspectionView>(id, view));
        return view;
    }

    public void Evict(IEnumerable<Guid> ids)
    {
        Interlocked.Increment(ref _generation);
        foreach (var id in ids) _views.TryRemove(id, out _);
    }

    /// <summary>Inspection streams an event list changes (page views excepted: they leave the view as it is).</summary>
    public static IReadOnlyList<Guid> Changed(IEnumerable<IEvent> events) =>
        [.. events.Where(e => e.Data is not InspectionDocumentViewed && e.Data.GetType().Namespace == typeof(InspectionRequested).Namespace)
            .Select(e => e.StreamId).Distinct()];
}

/// <summary>Evicts the inspections a session appends to from <see cref="InspectionViewCache"/>, before saving and after the commit.</summary>
public sealed class InspectionViewInvalidation(InspectionViewCache cache) : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var changed = InspectionViewCache.Changed(session.PendingChanges.Streams().SelectMany(s => s.Events));
        if (changed.Count > 0) cache.Evict(changed);
        return Task.CompletedTask;
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        var changed = InspectionViewCache.Changed(commit.GetEvents());
        if (changed.Count > 0) cache.Evict(changed);
        return Task.CompletedTask;
    }
}
