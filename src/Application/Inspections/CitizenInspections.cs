using System.Security.Claims;
using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.Common;
using ECase.Domain.Inspections;
using ECase.Projections.Files;
using ECase.Projections.Inspections;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace ECase.Application.Inspections;

public sealed record InspectionRequestBody(string? FileReference, string? Reason, LegalBasis? LegalBasis);

public sealed record WithdrawBody(string? Reason);

public sealed record InspectionCreated(Guid InspectionId, long Version);

/// <summary>What a citizen sees of their request (and what a clerk sees first).</summary>
public sealed record InspectionSummary(
    Guid Id, string FileReference, string Reason, LegalBasis LegalBasis, InspectionStatus Status, DateTimeOffset RequestedAt,
    DateTimeOffset? DecidedAt, DateOnly? ExpiresOn, bool DownloadAllowed, RefusalReason? RefusalReason, string? Justification, long Version)
{
    public static InspectionSummary Of(InspectionView v) => new(
        v.Id, v.FileReference, v.Reason, v.LegalBasis, v.Status, v.RequestedAt, v.DecidedAt, v.ExpiresOn, v.DownloadAllowed, v.RefusalReason,
        v.Justification, v.Version);
}

/// <summary>A document the citizen may view: its pages, and those withheld (placeholders).</summary>
public sealed record GrantedDocument(
    Guid DocumentId, Guid CaseId, string CaseTitle, string Title, int Version, string FileName, int Pages, IReadOnlyList<int> WithheldPages);

public sealed record AccessRecord(
    DateTimeOffset At, Guid InspectionId, string FileReference, Guid DocumentId, string Title, int Version, int Page, bool Download);

/// <summary>Citizen: ask to inspect a file by its reference (Akteneinsicht, §29 VwVfG or IFG).</summary>
public sealed record RequestInspection(Guid InspectionId, string FileReference, string Reason, LegalBasis LegalBasis, CurrentUser User);

/// <summary>The citizen withdraws their request, or the authority revokes its grant.</summary>
public sealed record WithdrawInspection(Guid InspectionId, string? Reason, CurrentUser User);

/// <summary>A page the citizen was shown, or a download (<see cref="Page"/> 0): recorded before the bytes leave.</summary>
public sealed record RecordInspectionView(Guid InspectionId, Guid CaseId, Guid DocumentId, int Version, int Page, CurrentUser User);

/// <summary>
/// The citizen's side of Akteneinsicht (issue #7, ADR 0020): everything is scoped to the token's subject; another citizen's
/// request, a document outside the grant, or any request once expired or withdrawn answers 404.
/// </summary>
public static class CitizenInspectionEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var citizen = api.MapGroup("/citizen").RequireAuthorization(Policies.Citizen).WithTags("Inspection (citizen)");

        citizen.MapPost("/inspections", async (InspectionRequestBody body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body.FileReference)) throw RequestInvalidException.Field("fileReference", "Name the file by its reference.");
            if (body.LegalBasis is not { } basis || !Enum.IsDefined(basis))
                throw RequestInvalidException.Field("legalBasis", "Participant (§29 VwVfG) or FreedomOfInformation (IFG).");
            var created = await bus.InvokeAsync<InspectionCreated>(
                new RequestInspection(Guid.CreateVersion7(), body.FileReference.Trim(), body.Reason ?? "", basis, CurrentUser.From(principal)), ct);
            return TypedResults.Created($"/api/citizen/inspections/{created.InspectionId}", created);
        }).WithName("RequestInspection");

        citizen.MapGet("/inspections", async (ClaimsPrincipal principal, IQuerySession session, CancellationToken ct) =>
        {
            var user = CurrentUser.From(principal);
            var mine = await session.Query<InspectionView>().Where(i => i.CitizenId == user.Id).OrderByDescending(i => i.RequestedAt).ToListAsync(ct);
            return mine.Select(InspectionSummary.Of).ToList();
        }).WithName("ListMyInspections");

        citizen.MapGet("/inspections/{id:guid}", async (Guid id, ClaimsPrincipal principal, IQuerySession session, InspectionViewCache views, CancellationToken ct) =>
            InspectionSummary.Of(await MineAsync(session, views, id, CurrentUser.From(principal), ct))).WithName("GetMyInspection");

        citizen.MapPost("/inspections/{id:guid}/withdraw", async (Guid id, WithdrawBody? body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
            CommandResults.Ok(await bus.InvokeAsync<CommandResult>(new WithdrawInspection(id, body?.Reason, CurrentUser.From(principal)), ct)))
            .WithName("WithdrawMyInspection");

        citizen.MapGet("/inspections/{id:guid}/documents", ListDocumentsAsync).WithName("ListGrantedDocuments");
        citizen.MapGet("/inspections/{id:guid}/documents/{documentId:guid}/pages/{page:int}", ViewPageAsync).WithName("ViewGrantedPage");
        citizen.MapGet("/inspections/{id:guid}/documents/{documentId:guid}/download", DownloadAsync).WithName("DownloadGrantedDocument");
        citizen.MapGet("/access-history", AccessHistoryAsync).WithName("MyAccessHistory");
    }

    private static async Task<InspectionView> MineAsync(IQuerySession session, InspectionViewCache views, Guid id, CurrentUser user, CancellationToken ct)
    {
        var view = await views.LoadAsync(session, id, ct);
        return view is not null && view.CitizenId == user.Id ? view : throw new NotFoundException("inspection");
    }

    /// <summary>The citizen's own request, granted and open today; anything else is 404 for every document route.</summary>
    private static async Task<InspectionView> OpenAsync(
        IQuerySession session, InspectionViewCache views, Guid id, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var view = await MineAsync(session, views, id, user, ct);
        return view.IsOpenOn(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) ? view : throw new RejectedException(InspectionRejections.NotOpen);
    }

    /// <summary>One query (the view), then page counts from the derived files, memoised per content.</summary>
    private static async Task<IReadOnlyList<GrantedDocument>> ListDocumentsAsync(
        Guid id, ClaimsPrincipal principal, IQuerySession session, InspectionViewCache views, InspectionCopies copies, TimeProvider clock, CancellationToken ct)
    {
        var view = await OpenAsync(session, views, id, CurrentUser.From(principal), clock, ct);
        var result = new List<GrantedDocument>(view.Documents.Count);
        foreach (var d in view.Documents)
        {
            int pages;
            try
            {
                pages = await copies.PageCountAsync(await InspectionDocuments.ContentAsync(session, d, ct), ct);
            }
            catch (RequestInvalidException)
            {
                pages = 0; // listed, so the citizen knows it exists, but not viewable page by page
            }

            var withheld = view.Redactions.Where(r => r.WholePage && r.DocumentId == d.DocumentId && r.Version == d.Version).Select(r => r.Page).Distinct().Order();
            result.Add(new GrantedDocument(d.DocumentId, d.CaseId, d.CaseTitle, d.Title, d.Version, d.FileName, pages, [.. withheld]));
        }

        return result;
    }

    private static GrantedVersion Granted(InspectionView view, Guid documentId) =>
        view.Documents.FirstOrDefault(d => d.DocumentId == documentId) ?? throw new RejectedException(InspectionRejections.OutOfScope);

    /// <summary>The redacted copy of a granted document: its source PDF with the boxes marked on that version burnt in.</summary>
    private static async Task<(InspectionSource Source, string Copy)> CopyAsync(
        IQuerySession session, InspectionCopies copies, InspectionView view, GrantedVersion d, CancellationToken ct)
    {
        var source = await copies.SourceAsync(await InspectionDocuments.ContentAsync(session, d, ct), ct);
        var copy = await copies.RedactedAsync(source, InspectionDocuments.RedactionsOf(view, d.DocumentId, d.Version), InspectionDocuments.CopyTitle(view, d.Title), ct);
        return (source, copy);
    }

    private static async Task<IResult> ViewPageAsync(
        Guid id, Guid documentId, int page, ClaimsPrincipal principal, IQuerySession session, InspectionViewCache views, InspectionCopies copies, IMessageBus bus,
        TimeProvider clock, HttpResponse response, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        var view = await OpenAsync(session, views, id, user, clock, ct);
        var d = Granted(view, documentId);
        var (source, copy) = await CopyAsync(session, copies, view, d, ct);
        if (page < 1 || page > source.Pages.Count) throw new NotFoundException("page");
        var image = await copies.PageImageAsync(copy, page, ct);
        await bus.InvokeAsync(new RecordInspectionView(id, d.CaseId, documentId, d.Version, page, user), ct);
        response.Headers.CacheControl = "private, no-store";
        return TypedResults.PhysicalFile(image, "image/png");
    }

    private static async Task<IResult> DownloadAsync(
        Guid id, Guid documentId, ClaimsPrincipal principal, IQuerySession session, InspectionViewCache views, InspectionCopies copies, IMessageBus bus,
        TimeProvider clock, HttpResponse response, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        var view = await OpenAsync(session, views, id, user, clock, ct);
        var d = Granted(view, documentId);
        if (!view.DownloadAllowed) throw new RejectedException(InspectionRejections.DownloadNotAllowed);
        var (_, copy) = await CopyAsync(session, copies, view, d, ct);
        await bus.InvokeAsync(new RecordInspectionView(id, d.CaseId, documentId, d.Version, 0, user), ct);
        response.Headers.CacheControl = "private, no-store";
        var name = System.IO.Path.GetFileNameWithoutExtension(d.FileName) + ".akteneinsicht.pdf";
        return TypedResults.PhysicalFile(copy, "application/pdf", name);
    }

    private static async Task<IReadOnlyList<AccessRecord>> AccessHistoryAsync(ClaimsPrincipal principal, IQuerySession session, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        var records = await session.Query<InspectionAccessRecord>().Where(r => r.CitizenId == user.Id).OrderByDescending(r => r.At).Take(1000).ToListAsync(ct);
        var inspections = (await session.LoadManyAsync<InspectionView>(ct, records.Select(r => r.InspectionId).Distinct().ToArray()))
            .Where(i => i.CitizenId == user.Id).ToDictionary(i => i.Id);
        var titles = new Dictionary<Guid, string>();
        foreach (var d in inspections.Values.SelectMany(i => i.Documents)) titles[d.DocumentId] = d.Title;

        return [.. records.Where(r => inspections.ContainsKey(r.InspectionId)).Select(r => new AccessRecord(
            r.At, r.InspectionId, inspections[r.InspectionId].FileReference, r.DocumentId, titles.GetValueOrDefault(r.DocumentId, ""), r.Version, r.Page, r.Download))];
    }
}

public static class RequestInspectionHandler
{
    public static async Task<InspectionCreated> Handle(RequestInspection cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (cmd.User.Role != Roles.Citizen) throw new ForbiddenException("Only citizens request an inspection.");
        var file = await session.Query<FileOverview>().Where(f => f.Reference == cmd.FileReference).Select(f => new { f.Id, f.Reference }).FirstOrDefaultAsync(ct);
        var events = InspectionDecider.Decide(
            null, new InspectionCommand.Request(cmd.InspectionId, file?.Id, file?.Reference ?? cmd.FileReference, cmd.Reason, cmd.LegalBasis),
            clock.ContextFor(cmd.User)).EventsOrThrow();
        session.Events.StartStream<Inspection>(cmd.InspectionId, events);
        return new InspectionCreated(cmd.InspectionId, events.Count);
    }
}

public static class WithdrawInspectionHandler
{
    public static async Task<CommandResult> Handle(WithdrawInspection cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var (stream, _) = await InspectionWrites.LoadAsync(session, cmd.InspectionId, cmd.User, ct);
        return InspectionWrites.Append(stream, InspectionDecider.Decide(stream.Aggregate, new InspectionCommand.Withdraw(cmd.Reason), clock.ContextFor(cmd.User)));
    }
}

public static class RecordInspectionViewHandler
{
    /// <summary>Two pages of one inspection viewed at the same moment (two tabs) race for the next stream version: try again.</summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException(Conflicts.IsVersionConflict)
            .RetryWithCooldown(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100),
                TimeSpan.FromMilliseconds(200));

    public static async Task<CommandResult> Handle(RecordInspectionView cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Inspection>(cmd.InspectionId, ct);
        if (stream.Aggregate is null) throw new NotFoundException("inspection");
        return InspectionWrites.Append(stream, InspectionDecider.Decide(
            stream.Aggregate, new InspectionCommand.View(cmd.CaseId, cmd.DocumentId, cmd.Version, cmd.Page), clock.ContextFor(cmd.User)));
    }
}
