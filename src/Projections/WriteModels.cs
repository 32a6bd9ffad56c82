using ECase.Domain.Cases;
using ECase.Domain.FilePlans;
using JasperFx.Events;
using Marten.Events.Aggregation;
using FileState = ECase.Domain.Files.File;

namespace ECase.Projections;

// Marten-facing wrappers around the pure domain's Evolve (ADR 0008). Registered Live: write models
// are folded from their (short) streams on each FetchForWriting and never stored as documents.

public sealed class FileWriteModel : SingleStreamProjection<FileState, Guid>
{
    public override FileState? Evolve(FileState? snapshot, Guid id, IEvent e) => FileState.Evolve(snapshot, e.Data);
}

public sealed class CaseWriteModel : SingleStreamProjection<Case, Guid>
{
    public override Case? Evolve(Case? snapshot, Guid id, IEvent e) => Case.Evolve(snapshot, e.Data);
}

public sealed class FilePlanUnitWriteModel : SingleStreamProjection<FilePlanUnit, Guid>
{
    public override FilePlanUnit? Evolve(FilePlanUnit? snapshot, Guid id, IEvent e) => FilePlanUnit.Evolve(snapshot, e.Data);
}
