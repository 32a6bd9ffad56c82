using ECase.Domain.FilePlans;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace ECase.Projections.FilePlans;

/// <summary>Read model of one Aktenplaneinheit; its code is unique.</summary>
public sealed record FilePlanUnitView(Guid Id, string Code, string Title, int RetentionYears, DisposalProposal Disposal, long Version);

public sealed class FilePlanUnitViewProjection : SingleStreamProjection<FilePlanUnitView, Guid>
{
    public FilePlanUnitViewProjection()
    {
        // An event allow-list: without it Marten cannot tell from Evolve which streams this projection concerns and
        // loads its document for every stream appended inline, one round trip per projection and command.
        IncludeType<FilePlanUnitCreated>();
        IncludeType<FilePlanUnitRetentionChanged>();
    }

    public override FilePlanUnitView? Evolve(FilePlanUnitView? snapshot, Guid id, IEvent e) => (snapshot, e.Data) switch
    {
        (null, FilePlanUnitCreated c) => new FilePlanUnitView(c.UnitId, c.Code, c.Title, c.RetentionYears, c.Disposal, e.Version),
        (not null, FilePlanUnitRetentionChanged c) => snapshot with { RetentionYears = c.RetentionYears, Disposal = c.Disposal, Version = e.Version },
        _ => snapshot,
    };
}
