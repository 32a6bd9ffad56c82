using System.Collections.Immutable;
using ECase.Domain.Common;

namespace ECase.Domain.Files;

public enum FileStatus { Open, Closed }

/// <summary>Akte: the unit of records management. State for decisions, evolved from the file stream.</summary>
public sealed record File(
    Guid Id, string Reference, string Title, Guid PlanUnitId, string PlanUnitCode, string OrgUnit,
    Confidentiality Confidentiality, FileStatus Status, ImmutableHashSet<Guid> OpenCases, ImmutableHashSet<Guid> Cases)
{
    public static File Start(FileOpened e) => new(
        e.FileId, e.Reference, e.Title, e.PlanUnitId, e.PlanUnitCode, e.OrgUnit, e.Confidentiality,
        FileStatus.Open, [], []);

    public static File? Evolve(File? state, object @event) => (state, @event) switch
    {
        (null, FileOpened e) => Start(e),
        (not null, FileReclassified e) => state with
        {
            PlanUnitId = e.PlanUnitId,
            PlanUnitCode = e.PlanUnitCode,
            Reference = e.Reference,
            Confidentiality = e.Confidentiality,
        },
        (not null, CaseAddedToFile e) => state with { OpenCases = state.OpenCases.Add(e.CaseId), Cases = state.Cases.Add(e.CaseId) },
        (not null, FileCaseClosed e) => state with { OpenCases = state.OpenCases.Remove(e.CaseId) },
        (not null, FileClosed) => state with { Status = FileStatus.Closed },
        (not null, FileReopened) => state with { Status = FileStatus.Open },
        _ => state,
    };
}
