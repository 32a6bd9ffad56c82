using System.Security.Claims;
using System.Text.Json;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Inspections;
using ECase.Application.Security;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.Disposal;
using ECase.Domain.Files;
using ECase.Domain.Inspections;
using ECase.Projections.Files;
using ECase.Projections.Inspections;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wolverine;
using FileState = ECase.Domain.Files.File;

namespace ECase.Application.Disposal;

/// <summary>Which content hashes other streams still refer to (content is stored once however often it is used).</summary>
public interface IContentReferences
{
    /// <summary>Of <paramref name="hashes"/>, those that streams outside <paramref name="streams"/> (and not destroyed themselves) still name.</summary>
    Task<IReadOnlySet<string>> StillReferencedAsync(IReadOnlyCollection<string> hashes, IReadOnlyCollection<Guid> streams, CancellationToken ct);
}

public sealed record CompleteDisposalRequest(string? Note);

/// <summary>Registrar: destroy what was transferred (and confirmed) or appraised V, skip files on legal hold, issue the certificate.</summary>
public sealed record CompleteDisposal(Guid ProcessId, string? Note, CurrentUser User);

public sealed record DisposalResult(Guid ProcessId, IReadOnlyList<DisposedFile> Disposed, IReadOnlyList<SkippedFile> Skipped, string Certificate);

/// <summary>Durable follow-up after the destruction is committed: delete the blobs and the process's transfer containers.</summary>
public sealed record DeleteDisposedContent(Guid ProcessId, IReadOnlyList<string> Hashes);

public static class CompleteDisposalEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/disposal/processes/{processId:guid}/destroy", async (Guid processId, CompleteDisposalRequest? body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
                TypedResults.Ok(await bus.InvokeAsync<DisposalResult>(new CompleteDisposal(processId, body?.Note, CurrentUser.From(principal)), ct)))
            .RequireAuthorization(Policies.Registrar).WithName("CompleteDisposal").WithTags("Disposal");
}

public static class CompleteDisposalHandler
{
    public static async Task<(DisposalResult, DeleteDisposedContent)> Handle(
        CompleteDisposal cmd, IDocumentSession session, IContentStore store, IContentReferences references, IDisposalCertificateWriter certificates,
        IOptions<DisposalOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var processStream = await session.Events.FetchForWriting<DisposalProcess>(cmd.ProcessId, ct);
        var process = processStream.Aggregate;
        if (process is null || !DisposalAccess.CanSee(cmd.User, process)) throw new NotFoundException("disposal process");
        if (!DisposalDecider.CanComplete(process)) throw new RejectedException(DisposalRejections.WrongStage);
        var ctx = clock.ContextFor(cmd.User);

        var outcomes = process.Outcomes().ToList();
        var fileIds = outcomes.Select(o => o.File.FileId).ToList();
        var batch = session.CreateBatchQuery();
        var fileTasks = fileIds.ToDictionary(id => id, id => batch.Events.FetchForWriting<FileState>(id));
        var overviews = batch.LoadMany<FileOverview>().ById(fileIds.ToArray());
        await batch.Execute(ct);
        var overviewById = (await overviews).ToDictionary(o => o.Id);

        var skipped = new List<SkippedFile>();
        var toDestroy = new List<(IEventStream<FileState> Stream, Disposition Disposition, string? ArchiveReference)>();
        foreach (var (file, disposition, archiveReference, skip) in outcomes)
        {
            var stream = await fileTasks[file.FileId];
            if (skip is not null) skipped.Add(skip);
            else if (stream.Aggregate is { Holds.IsEmpty: false } held)
                skipped.Add(new SkippedFile(file.FileId, file.Reference, "legal-hold", "Legal hold: " + string.Join("; ", held.Holds.Values)));
            else toDestroy.Add((stream, disposition!.Value, archiveReference));
        }

        // The blobs of each destroyed file: every content reference in its file and case streams, minus those still used elsewhere.
        var streamsOf = toDestroy.ToDictionary(d => d.Stream.Id, d => d.Stream.Aggregate!.Cases.Prepend(d.Stream.Id).ToList());
        var blobsOf = new Dictionary<Guid, Dictionary<string, long>>();
        var documentsOf = new Dictionary<Guid, int>();
        foreach (var (fileId, streams) in streamsOf)
        {
            var blobs = new Dictionary<string, long>();
            var documents = 0;
            foreach (var streamId in streams)
            {
                foreach (var e in await session.Events.FetchStreamAsync(streamId, token: ct))
                {
                    if (e.Data is DocumentAdded or Domain.Scanning.DocumentScanned) documents++;
                    foreach (var (sha, size) in EventContent.Refs(JsonSerializer.SerializeToElement(e.Data, e.Data.GetType()))) blobs[sha] = size;
                }
            }

            blobsOf[fileId] = blobs;
            documentsOf[fileId] = documents;
        }

        // Citizens' inspections of these files name the hashes they showed; they end with the files and keep nothing alive.
        var inspections = await InspectionsOfAsync(session, [.. streamsOf.Keys], ct);
        var allStreams = streamsOf.Values.SelectMany(s => s).Concat(inspections.Select(i => i.Id)).ToList();
        var shared = await references.StillReferencedAsync([.. blobsOf.Values.SelectMany(b => b.Keys).Distinct()], allStreams, ct);
        var disposed = new List<DisposedFile>();
        foreach (var (stream, disposition, archiveReference) in toDestroy)
        {
            var own = blobsOf[stream.Id].Where(b => !shared.Contains(b.Key)).ToList();
            disposed.Add(new DisposedFile(stream.Id, stream.Aggregate!.Reference, disposition, archiveReference, own.Count, own.Sum(b => b.Value)));
        }

        // The certificate first (it is the proof), then the events in one transaction, then (after commit) the blobs.
        var certificate = Certificate(process, disposed, skipped, overviewById, documentsOf, options.Value, cmd, ctx);
        var certificateName = $"{process.Id}_Vernichtungsnachweis.pdf";
        ContentRef certificateRef;
        using (var pdf = new System.IO.MemoryStream())
        {
            certificates.Write(certificate, pdf);
            pdf.Position = 0;
            var staged = await store.PutAsync(pdf, ct);
            certificateRef = new ContentRef(staged.Sha256, staged.Size, "application/pdf", certificateName);
        }

        foreach (var (stream, disposition, archiveReference) in toDestroy)
        {
            var done = disposed.Single(d => d.FileId == stream.Id);
            var destroyed = FileDecider.Decide(stream.Aggregate, new FileCommand.Destroy(process.Id, disposition, archiveReference, done.Blobs, done.Bytes), ctx).EventsOrThrow();
            stream.AppendMany(destroyed);
            foreach (var caseId in stream.Aggregate!.Cases) session.Events.Append(caseId, destroyed[0]);
        }

        await CloseInspectionsAsync(session, inspections, ctx, ct);

        foreach (var skip in skipped)
        {
            var stream = await fileTasks[skip.FileId];
            if (stream.Aggregate?.DisposalProcessId == process.Id)
                stream.AppendMany(FileDecider.Decide(stream.Aggregate, new FileCommand.ReleaseFromDisposal(process.Id, skip.Code, skip.Reason), ctx).EventsOrThrow());
        }

        processStream.AppendMany(DisposalDecider.Decide(process, new DisposalCommand.Complete(disposed, skipped, certificateRef), ctx).EventsOrThrow());
        var hashes = blobsOf.Values.SelectMany(b => b.Keys).Where(h => !shared.Contains(h)).Distinct().ToList();
        return (new DisposalResult(process.Id, disposed, skipped, $"/api/disposal/processes/{process.Id}/messages/certificate"), new DeleteDisposedContent(process.Id, hashes));
    }

    private static async Task<IReadOnlyList<(Guid Id, InspectionStatus Status)>> InspectionsOfAsync(IQuerySession session, Guid[] fileIds, CancellationToken ct)
    {
        if (fileIds.Length == 0) return [];
        var views = await session.Query<InspectionView>().Where(v => v.FileId.In(fileIds)).ToListAsync(ct);
        return [.. views.Select(v => (v.Id, v.Status))];
    }

    /// <summary>
    /// Citizens' inspection requests of the destroyed files that are still open end with them (<see cref="InspectionClosed"/>),
    /// in the same transaction: nothing of the file may be shown afterwards. Their derived copies go with the blobs.
    /// </summary>
    private static async Task CloseInspectionsAsync(
        IDocumentSession session, IReadOnlyList<(Guid Id, InspectionStatus Status)> inspections, CommandContext ctx, CancellationToken ct)
    {
        foreach (var (id, status) in inspections)
        {
            if (status.IsFinished()) continue;
            var stream = await session.Events.FetchForWriting<Inspection>(id, ct);
            stream.AppendMany(InspectionDecider.Decide(stream.Aggregate, new InspectionCommand.Close(InspectionCloseReason.FileDestroyed), ctx).EventsOrThrow());
        }
    }

    private static DisposalCertificateData Certificate(
        DisposalProcess process, IReadOnlyList<DisposedFile> disposed, IReadOnlyList<SkippedFile> skipped, IReadOnlyDictionary<Guid, FileOverview> overviews,
        IReadOnlyDictionary<Guid, int> documents, DisposalOptions options, CompleteDisposal cmd, CommandContext ctx)
    {
        string Title(Guid id) => overviews.GetValueOrDefault(id)?.Title ?? process.Files.FirstOrDefault(f => f.FileId == id)?.Title ?? "";
        int Documents(Guid id) => documents.GetValueOrDefault(id);
        return new DisposalCertificateData(
            process.Id, options.Authority, process.Archive.Name, $"{cmd.User.Name} ({cmd.User.Id})", ctx.Now, ctx.Now,
            [.. disposed.Select(d => new CertificateEntry(
                d.Reference, Title(d.FileId), d.FileId,
                d.Disposition == Disposition.Transferred ? "an Archiv übergeben, hier gelöscht" : "vernichtet (V)", d.ArchiveReference, Documents(d.FileId), d.Blobs, d.Bytes))],
            [.. skipped.Select(s => new CertificateEntry(s.Reference, Title(s.FileId), s.FileId, "nicht vernichtet: " + s.Reason, null, 0, 0, 0))],
            cmd.Note);
    }
}

public static class DeleteDisposedContentHandler
{
    public static async Task Handle(
        DeleteDisposedContent message, IContentStore store, IOptions<DisposalOptions> options, IOptions<ContentStoreOptions> content, IDocumentStore documents,
        InspectionCopies inspectionCopies, ILogger<DeleteDisposedContent> logger, CancellationToken ct)
    {
        foreach (var hash in message.Hashes) store.Delete(hash);
        // Citizens' copies, page images and the PDFs they were made from, derived from the deleted content.
        var copies = inspectionCopies.DeleteDerivedFrom(message.Hashes);
        // The transfer containers hold copies of the transferred content: they go too.
        await using var query = documents.QuerySession();
        foreach (var job in await query.Query<ExportJob>().Where(j => j.ProcessId == message.ProcessId).ToListAsync(ct))
        {
            var folder = System.IO.Path.Combine(TransferPaths.Folder(options.Value, content.Value), job.Id.ToString("N"));
            if (System.IO.Directory.Exists(folder)) System.IO.Directory.Delete(folder, recursive: true);
        }

        logger.LogInformation("Disposal {Process}: {Blobs} blobs and {Copies} derived inspection files deleted", message.ProcessId, message.Hashes.Count, copies);
    }
}
