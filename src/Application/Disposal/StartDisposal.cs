using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Security;
using ECase.Domain.Common;
using ECase.Domain.Disposal;
using ECase.Domain.FilePlans;
using ECase.Domain.Files;
using ECase.Projections.Cases;
using ECase.Projections.FilePlans;
using ECase.Projections.Files;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Wolverine;
using FileState = ECase.Domain.Files.File;

namespace ECase.Application.Disposal;

/// <param name="TwoStage">No offer: A or V from each file's plan unit (zweistufiges Verfahren).</param>
/// <param name="Version">xdomea version of the process's messages: 3.1.0 (default) or 3.0.0.</param>
public sealed record StartDisposalRequest(IReadOnlyList<Guid>? FileIds, string? Archive, string? Version, bool TwoStage = false);

public sealed record DisposalStarted(Guid ProcessId, DisposalKind Kind, int Files, string? OfferMessage);

/// <summary>Registrar: due files go into a new disposal process, offered to the archive (0501) or appraised from the plan.</summary>
public sealed record StartDisposal(Guid ProcessId, IReadOnlyList<Guid> FileIds, string ArchiveCode, string Version, bool TwoStage, CurrentUser User);

public static class StartDisposalEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/disposal/processes", async (StartDisposalRequest body, ClaimsPrincipal principal, IMessageBus bus, IOptions<DisposalOptions> options, IArchiveMessages messages, CancellationToken ct) =>
        {
            var archive = body.Archive ?? options.Value.Archives.Keys.FirstOrDefault() ?? "";
            if (!options.Value.Archives.ContainsKey(archive))
                throw RequestInvalidException.Field("archive", $"Unknown archive '{archive}'; configured: {string.Join(", ", options.Value.Archives.Keys)}.");
            var version = body.Version ?? messages.Versions[0];
            if (!messages.Versions.Contains(version))
                throw new RequestInvalidException("xdomea-version-unsupported", $"xdomea {version} cannot be written; use one of {string.Join(", ", messages.Versions)}.");
            if (body.FileIds is not { Count: > 0 }) throw RequestInvalidException.Field("fileIds", "Name at least one file.");
            if (body.FileIds.Count > 10_000) throw RequestInvalidException.Field("fileIds", "At most 10,000 files per process.");
            var result = await bus.InvokeAsync<DisposalStarted>(
                new StartDisposal(Guid.NewGuid(), body.FileIds, archive, version, body.TwoStage, CurrentUser.From(principal)), ct);
            return TypedResults.Created($"/api/disposal/processes/{result.ProcessId}", result);
        }).RequireAuthorization(Policies.Registrar).WithName("StartDisposal").WithTags("Disposal");
}

public static class StartDisposalHandler
{
    public static async Task<DisposalStarted> Handle(
        StartDisposal cmd, IDocumentSession session, IContentStore store, IArchiveMessages messages, IOptions<DisposalOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var ctx = clock.ContextFor(cmd.User);
        var ids = cmd.FileIds.Distinct().ToList();
        var batch = session.CreateBatchQuery();
        var streamTasks = ids.Select(id => batch.Events.FetchForWriting<FileState>(id)).ToList();
        var overviews = batch.LoadMany<FileOverview>().ById(ids.ToArray());
        var casesTask = batch.Query<CaseDetails>().Where(c => ids.Contains(c.FileId)).ToList();
        var unitsTask = batch.Query<FilePlanUnitView>().ToList();
        await batch.Execute(ct);
        var streams = new List<IEventStream<FileState>>();
        foreach (var t in streamTasks) streams.Add(await t);
        var overviewById = (await overviews).ToDictionary(o => o.Id);
        var casesByFile = (await casesTask).ToLookup(c => c.FileId);
        var units = (await unitsTask).ToDictionary(u => u.Id);

        // Every file must be offerable; all refusals are named at once, and nothing is written.
        var refused = new Dictionary<string, string[]>();
        foreach (var stream in streams)
        {
            if (stream.Aggregate is not { } file || !Access.CanSeeFile(cmd.User, file.OrgUnit, file.Confidentiality))
            {
                refused[stream.Id.ToString()] = ["There is no such file."];
                continue;
            }

            if (FileDecider.Decide(file, new FileCommand.OfferToArchive(cmd.ProcessId), ctx) is Decision.Rejected r)
                refused[file.Reference] = [$"{r.Rejection.Code}: {r.Rejection.Message}"];
        }

        if (refused.Count > 0)
            throw new RequestInvalidException("disposal-files-not-due", "Some files cannot go into a disposal process.", refused, StatusCodes.Status409Conflict);

        var files = streams.Select(s => s.Aggregate!).ToList();
        var disposalFiles = files.Select(f => new DisposalFile(
            f.Id, f.Reference, overviewById.GetValueOrDefault(f.Id)?.Title ?? f.Title, [.. casesByFile[f.Id].OrderBy(c => c.OpenedAt).Select(c => c.Id)])).ToList();
        var archive = new ArchiveParty(cmd.ArchiveCode, options.Value.Archives[cmd.ArchiveCode]);

        Decision decision;
        string? offerName = null;
        if (cmd.TwoStage)
        {
            var proposals = files.ToDictionary(f => f.Id, f => units.GetValueOrDefault(f.PlanUnitId)?.Disposal ?? DisposalProposal.Appraise);
            decision = DisposalDecider.Decide(null, new DisposalCommand.StartTwoStage(cmd.ProcessId, archive, cmd.Version, disposalFiles, proposals), ctx);
        }
        else
        {
            var offered = files.Select(f => Offered(f, overviewById.GetValueOrDefault(f.Id), units.GetValueOrDefault(f.PlanUnitId), casesByFile[f.Id])).ToList();
            var parties = new MessageParties(cmd.ProcessId, cmd.Version, options.Value.Authority, options.Value.AuthorityUnit, archive.Name);
            var xml = messages.WriteOffer(parties, ctx.Now, offered);
            offerName = DisposalAccess.FileName(cmd.ProcessId, "0501");
            var message = await DisposalAccess.KeepAsync(store, xml, offerName, "application/xml", ct);
            decision = DisposalDecider.Decide(null, new DisposalCommand.Offer(cmd.ProcessId, archive, cmd.Version, disposalFiles, message), ctx);
        }

        session.Events.StartStream<DisposalProcess>(cmd.ProcessId, decision.EventsOrThrow());
        foreach (var stream in streams)
            stream.AppendMany(FileDecider.Decide(stream.Aggregate, new FileCommand.OfferToArchive(cmd.ProcessId), ctx).EventsOrThrow());
        return new DisposalStarted(cmd.ProcessId, cmd.TwoStage ? DisposalKind.TwoStage : DisposalKind.OfferAndAppraisal, files.Count, offerName);
    }

    private static OfferFile Offered(FileState f, FileOverview? overview, FilePlanUnitView? unit, IEnumerable<CaseDetails> cases) => new(
        f.Id, f.Reference, overview?.Title ?? f.Title, f.PlanUnitCode, unit?.Title ?? "", f.Confidentiality, f.ClosedWithYears ?? unit?.RetentionYears,
        overview?.DisposalProposal ?? unit?.Disposal ?? DisposalProposal.Appraise,
        DateOnly.FromDateTime((overview?.OpenedAt ?? DateTimeOffset.UnixEpoch).UtcDateTime), f.ClosedOn, f.RetentionEndsOn,
        [.. cases.OrderBy(c => c.OpenedAt).Select(c => new OfferCase(
            c.Id, c.Title, DateOnly.FromDateTime(c.OpenedAt.UtcDateTime), c.ClosedAt is { } closed ? DateOnly.FromDateTime(closed.UtcDateTime) : null))]);
}
