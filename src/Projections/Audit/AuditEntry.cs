using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using ECase.Domain.Common;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace ECase.Projections.Audit;

/// <summary>One recorded event, as the audit trail shows it: who, when, what, in which stream.</summary>
public sealed record AuditEntry(
    Guid Id, long Sequence, Guid StreamId, long StreamVersion, string EventType, string ActorId, string ActorRole, string ActorOrgUnit,
    DateTimeOffset At, string Data);

/// <summary>
/// Async projection writing one <see cref="AuditEntry"/> per event. Every domain event carries exactly one
/// <see cref="Actor"/> (…By) and its time (…At); both are found once per event type by reflection.
/// </summary>
public sealed class AuditTrailProjection : IProjection
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo? Actor, PropertyInfo? At)> Accessors = new();

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var e in events) operations.Store(ToEntry(e));
        return Task.CompletedTask;
    }

    public static AuditEntry ToEntry(IEvent e)
    {
        var (actorProp, atProp) = Accessors.GetOrAdd(e.EventType, t => (
            t.GetProperties().SingleOrDefault(p => p.PropertyType == typeof(Actor)),
            t.GetProperties().FirstOrDefault(p => p.PropertyType == typeof(DateTimeOffset) && p.Name.EndsWith("At", StringComparison.Ordinal)
                && p.Name != "ReceivedAt")));
        var actor = actorProp?.GetValue(e.Data) as Actor ?? new Actor("system", "system", "");
        var at = atProp?.GetValue(e.Data) is DateTimeOffset when ? when : e.Timestamp;
        return new AuditEntry(
            e.Id, e.Sequence, e.StreamId, e.Version, e.EventTypeName, actor.UserId, actor.Role, actor.OrgUnit, at,
            JsonSerializer.Serialize(e.Data, e.EventType));
    }
}
