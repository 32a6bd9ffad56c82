using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.Common;
using ECase.Domain.Inspections;
using ECase.Projections.Files;
using ECase.Projections.Inspections;
using JasperFx.Events;
using Marten;

namespace ECase.Application.Inspections;

/// <summary>Commands on an inspection stream: who may act on it, and the load–decide–append step they share.</summary>
public static class InspectionWrites
{
    /// <summary>The system actor that closes expired inspections.</summary>
    public static readonly CurrentUser System = new("system:inspection-expiry", "ECase", "system", "", Confidentiality.Open);

    /// <summary>
    /// The stream and its <see cref="InspectionView"/> in one round trip (the inline projection then updates the view from the
    /// identity map). A request the caller may not act on answers 404, as if it did not exist: citizens act on their own,
    /// clerks and registrars on those for files they can see.
    /// </summary>
    public static async Task<(IEventStream<Inspection> Stream, InspectionView View)> LoadAsync(
        IDocumentSession session, Guid inspectionId, CurrentUser user, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var streamTask = batch.Events.FetchForWriting<Inspection>(inspectionId);
        var viewTask = batch.Load<InspectionView>(inspectionId);
        await batch.Execute(ct);
        var stream = await streamTask;
        if (stream.Aggregate is null || await viewTask is not { } view) throw new NotFoundException("inspection");
        await EnsureMayActAsync(session, view, user, ct);
        return (stream, view);
    }

    public static async Task<FileOverview> EnsureMayActAsync(IQuerySession session, InspectionView view, CurrentUser user, CancellationToken ct)
    {
        if (user.Role == Roles.Citizen)
        {
            if (view.CitizenId != user.Id) throw new NotFoundException("inspection");
            return await session.LoadAsync<FileOverview>(view.FileId, ct) ?? throw new NotFoundException("inspection");
        }

        if (user == System) return await session.LoadAsync<FileOverview>(view.FileId, ct) ?? throw new NotFoundException("inspection");
        var file = await session.LoadAsync<FileOverview>(view.FileId, ct);
        if (file is null || !Access.CanSeeFile(user, file.OrgUnit, file.Confidentiality)) throw new NotFoundException("inspection");
        return file;
    }

    public static CommandResult Append(IEventStream<Inspection> stream, Decision decision)
    {
        var events = decision.EventsOrThrow();
        stream.AppendMany(events);
        return new CommandResult(stream.Id, (stream.StartingVersion ?? 0) + events.Count);
    }
}
