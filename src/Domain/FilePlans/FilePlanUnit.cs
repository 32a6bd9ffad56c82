namespace ECase.Domain.FilePlans;

/// <summary>Aktenplaneinheit: one node of the file plan, e.g. <c>32.10.05</c>.</summary>
public sealed record FilePlanUnit(Guid Id, string Code, string Title, int RetentionYears, DisposalProposal Disposal)
{
    public static FilePlanUnit Start(FilePlanUnitCreated e) => new(e.UnitId, e.Code, e.Title, e.RetentionYears, e.Disposal);

    public static FilePlanUnit? Evolve(FilePlanUnit? state, object @event) => (state, @event) switch
    {
        (null, FilePlanUnitCreated e) => Start(e),
        (not null, FilePlanUnitRetentionChanged e) => state with { RetentionYears = e.RetentionYears, Disposal = e.Disposal },
        _ => state,
    };
}
