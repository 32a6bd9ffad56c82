using System.Security.Claims;
using ECase.Application.Audit;
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

namespace ECase.Application.Inspections;

public sealed record GrantBody(bool WholeFile, Guid[]? CaseIds, Guid[]? DocumentIds, DateOnly? ExpiresOn, bool DownloadAllowed, RefusalReason? ReasonCode, string? Justification);

public sealed record RefuseBody(RefusalReason? ReasonCode, string? Justification);

public sealed record RedactionBody(Guid DocumentId, int DocumentVersion, int Page, double X, double Y, double Width, double Height, bool WholePage, RedactionReason? ReasonCode);

public sealed record RedactionCreated(Guid RedactionId, long Version);

/// <summary>An inspection request as the clerk lists it: the summary, who asked, and for which file.</summary>
public sealed record InspectionListItem(InspectionSummary Inspection, string CitizenId, Guid FileId, string FileTitle, string OrgUnit);

public sealed record InspectionDetails(
    InspectionSummary Inspection, string CitizenId, Guid FileId, string FileTitle, string OrgUnit, InspectionScope Scope, DateTimeOffset? GrantedAt,
    IReadOnlyList<RedactionView> Redactions, IReadOnlyList<GrantedVersion> GrantedDocuments);

/// <summary>A document of the file for the clerk: its latest version, page sizes in points (for placing boxes), and whether it is granted.</summary>
public sealed record FileDocument(
    Guid DocumentId, Guid CaseId, string CaseTitle, string Title, int Version, string FileName, string MediaType, IReadOnlyList<PageDimensions> Pages, bool InScope);

/// <summary>Clerk or registrar: grant (whole or part) or refuse a request. <see cref="Decision"/> is Grant, GrantInPart or Refuse.</summary>
public sealed record DecideInspection(Guid InspectionId, InspectionCommand Decision, CurrentUser User);

public sealed record RemoveRedaction(Guid InspectionId, Guid RedactionId, CurrentUser User);

public sealed record RedactInspection(Guid InspectionId, Guid RedactionId, Guid DocumentId, int Version, RedactionArea Area, bool WholePage, RedactionReason Reason, CurrentUser User);

/// <summary>
/// The clerk's side of Akteneinsicht (ADR 0020): requests for files of the clerk's org unit (registrars: any, up to their
/// clearance); others answer 404. Grants name the scope, expiry and download; redactions are boxes in PDF points.
/// </summary>
public static class ClerkInspectionEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var clerk = api.MapGroup("/inspections").RequireAuthorization(Policies.FileWorkers).WithTags("Inspection (clerk)");

        clerk.MapGet("", ListAsync).WithName("ListInspections");
        clerk.MapGet("/{id:guid}", DetailsAsync).WithName("GetInspection");
        clerk.MapGet("/{id:guid}/documents", DocumentsAsync).WithName("ListFileDocumentsForInspection");
        clerk.MapGet("/{id:guid}/documents/{documentId:guid}/versions/{version:int}/pages/{page:int}", PageAsync).WithName("RenderPageForInspection");

        clerk.MapPost("/{id:guid}/grant", (Guid id, GrantBody body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
            DecideAsync(bus, id, new InspectionCommand.Grant(Scope(body), Expiry(body.ExpiresOn), body.DownloadAllowed), principal, ct)).WithName("GrantInspection");
        clerk.MapPost("/{id:guid}/grant-in-part", (Guid id, GrantBody body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
            DecideAsync(bus, id, new InspectionCommand.GrantInPart(
                Scope(body), Expiry(body.ExpiresOn), body.DownloadAllowed, ReasonCode(body.ReasonCode), body.Justification ?? ""), principal, ct))
            .WithName("GrantInspectionInPart");
        clerk.MapPost("/{id:guid}/refuse", (Guid id, RefuseBody body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
            DecideAsync(bus, id, new InspectionCommand.Refuse(ReasonCode(body.ReasonCode), body.Justification ?? ""), principal, ct)).WithName("RefuseInspection");
        clerk.MapPost("/{id:guid}/redactions", async (Guid id, RedactionBody body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
        {
            if (body.ReasonCode is not { } reason || !Enum.IsDefined(reason))
                throw RequestInvalidException.Field("reasonCode", "ThirdPartyPersonalData, BusinessSecret, Draft or Other.");
            var created = await bus.InvokeAsync<RedactionCreated>(new RedactInspection(
                id, Guid.CreateVersion7(), body.DocumentId, body.DocumentVersion, new RedactionArea(body.Page, body.X, body.Y, body.Width, body.Height), body.WholePage,
                reason, CurrentUser.From(principal)), ct);
            return TypedResults.Created($"/api/inspections/{id}", created);
        }).WithName("RedactForInspection");
        clerk.MapDelete("/{id:guid}/redactions/{redactionId:guid}", async (Guid id, Guid redactionId, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
            CommandResults.Ok(await bus.InvokeAsync<CommandResult>(new RemoveRedaction(id, redactionId, CurrentUser.From(principal)), ct)))
            .WithName("RemoveRedaction");
        clerk.MapPost("/{id:guid}/withdraw", async (Guid id, WithdrawBody? body, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
            CommandResults.Ok(await bus.InvokeAsync<CommandResult>(new WithdrawInspection(id, body?.Reason, CurrentUser.From(principal)), ct)))
            .WithName("RevokeInspection");
    }

    private static InspectionScope Scope(GrantBody body) => new(body.WholeFile, body.CaseIds ?? [], body.DocumentIds ?? []);

    private static DateOnly Expiry(DateOnly? value) => value ?? throw RequestInvalidException.Field("expiresOn", "Until when is the inspection granted (yyyy-MM-dd)?");

    private static RefusalReason ReasonCode(RefusalReason? value) => value is { } r && Enum.IsDefined(r) ? r
        : throw RequestInvalidException.Field("reasonCode", "NotParticipant, ProcedureOngoing, ThirdPartyRights, BusinessSecret, PublicInterest or Other.");

    private static async Task<IResult> DecideAsync(IMessageBus bus, Guid id, InspectionCommand decision, ClaimsPrincipal principal, CancellationToken ct) =>
        CommandResults.Ok(await bus.InvokeAsync<CommandResult>(new DecideInspection(id, decision, CurrentUser.From(principal)), ct));

    private static async Task<IReadOnlyList<InspectionListItem>> ListAsync(
        InspectionStatus? status, ClaimsPrincipal principal, IQuerySession session, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        var query = session.Query<InspectionView>().AsQueryable();
        if (status is { } s) query = query.Where(i => i.Status == s);
        var inspections = await query.OrderBy(i => i.RequestedAt).Take(1000).ToListAsync(ct);
        var files = (await session.LoadManyAsync<FileOverview>(ct, inspections.Select(i => i.FileId).Distinct().ToArray()))
            .Where(f => Access.CanSeeFile(user, f.OrgUnit, f.Confidentiality)).ToDictionary(f => f.Id);
        return [.. inspections.Where(i => files.ContainsKey(i.FileId)).Select(i =>
            new InspectionListItem(InspectionSummary.Of(i), i.CitizenId, i.FileId, files[i.FileId].Title, files[i.FileId].OrgUnit))];
    }

    private static async Task<(InspectionView View, FileOverview File)> VisibleAsync(IQuerySession session, Guid id, CurrentUser user, CancellationToken ct)
    {
        var view = await session.LoadAsync<InspectionView>(id, ct) ?? throw new NotFoundException("inspection");
        return (view, await InspectionWrites.EnsureMayActAsync(session, view, user, ct));
    }

    private static async Task<InspectionDetails> DetailsAsync(Guid id, ClaimsPrincipal principal, IQuerySession session, CancellationToken ct)
    {
        var (view, file) = await VisibleAsync(session, id, CurrentUser.From(principal), ct);
        return new InspectionDetails(InspectionSummary.Of(view), view.CitizenId, view.FileId, file.Title, file.OrgUnit, view.Scope, view.GrantedAt, view.Redactions, view.Documents);
    }

    private static async Task<IReadOnlyList<FileDocument>> DocumentsAsync(
        Guid id, ClaimsPrincipal principal, IQuerySession session, InspectionCopies copies, CancellationToken ct)
    {
        var (view, _) = await VisibleAsync(session, id, CurrentUser.From(principal), ct);
        var result = new List<FileDocument>();
        foreach (var d in InspectionDocuments.Latest(await InspectionDocuments.CasesAsync(session, view.FileId, ct)))
        {
            IReadOnlyList<PageDimensions> pages;
            try
            {
                pages = (await copies.SourceAsync(ShownContent.Of(d.Version), ct)).Pages;
            }
            catch (RequestInvalidException)
            {
                pages = [];
            }

            result.Add(new FileDocument(
                d.Document.Id, d.Case.Id, d.Case.Title, d.Document.Title, d.Version.Number, d.Version.FileName, d.Version.MediaType, pages,
                view.Scope.Covers(d.Case.Id, d.Document.Id)));
        }

        return result;
    }

    /// <summary>A page of the original (logged as a read of the document), or with <c>redacted=true</c> as the citizen will see it.</summary>
    private static async Task<IResult> PageAsync(
        Guid id, Guid documentId, int version, int page, bool? redacted, ClaimsPrincipal principal, IDocumentSession session, InspectionCopies copies,
        TimeProvider clock, HttpResponse response, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        var (view, _) = await VisibleAsync(session, id, user, ct);
        var d = InspectionDocuments.Find(await InspectionDocuments.CasesAsync(session, view.FileId, ct), documentId, version);
        var source = await copies.SourceAsync(ShownContent.Of(d.Version), ct);
        if (page < 1 || page > source.Pages.Count) throw new NotFoundException("page");
        var pdf = redacted == true
            ? await copies.RedactedAsync(source, InspectionDocuments.RedactionsOf(view, documentId, version), InspectionDocuments.CopyTitle(view, d.Document.Title), ct)
            : source.PdfPath;
        var image = await copies.PageImageAsync(pdf, page, ct);
        await AccessLog.RecordAsync(session, clock, user, AccessLog.ReadDocumentContent, view.FileId, ct, d.Case.Id, documentId, version);
        response.Headers.CacheControl = "private, no-store";
        return TypedResults.PhysicalFile(image, "image/png");
    }
}

public static class DecideInspectionHandler
{
    public static async Task<CommandResult> Handle(DecideInspection cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (cmd.Decision is not (InspectionCommand.Grant or InspectionCommand.GrantInPart or InspectionCommand.Refuse))
            throw new ArgumentOutOfRangeException(nameof(cmd));
        var (stream, view) = await InspectionWrites.LoadAsync(session, cmd.InspectionId, cmd.User, ct);
        EnsureFileWorker(cmd.User);
        var decision = cmd.Decision;
        var scope = decision switch { InspectionCommand.Grant g => g.Scope, InspectionCommand.GrantInPart p => p.Scope, _ => null };
        if (scope is { } s)
        {
            var cases = await InspectionDocuments.CasesAsync(session, view.FileId, ct);
            var unknown = s.CaseIds.Where(c => cases.All(x => x.Id != c))
                .Concat(s.DocumentIds.Where(doc => cases.All(x => x.Documents.All(y => y.Id != doc)))).ToList();
            if (unknown.Count > 0)
                throw new RequestInvalidException("inspection-scope-unknown", $"Not a case or document of this file: {string.Join(", ", unknown)}.");
            var documents = InspectionDocuments.ToGrant(s, cases);
            decision = decision switch
            {
                InspectionCommand.Grant g => g with { Documents = documents },
                InspectionCommand.GrantInPart p => p with { Documents = documents },
                _ => decision,
            };
        }

        return InspectionWrites.Append(stream, InspectionDecider.Decide(stream.Aggregate, decision, clock.ContextFor(cmd.User)));
    }

    internal static void EnsureFileWorker(CurrentUser user)
    {
        if (!Roles.FileWorkers.Contains(user.Role)) throw new ForbiddenException("Only clerks and registrars decide on inspections.");
    }
}

public static class RedactInspectionHandler
{
    public static async Task<RedactionCreated> Handle(RedactInspection cmd, IDocumentSession session, InspectionCopies copies, TimeProvider clock, CancellationToken ct)
    {
        var (stream, view) = await InspectionWrites.LoadAsync(session, cmd.InspectionId, cmd.User, ct);
        DecideInspectionHandler.EnsureFileWorker(cmd.User);
        var d = InspectionDocuments.Find(await InspectionDocuments.CasesAsync(session, view.FileId, ct), cmd.DocumentId, cmd.Version);
        var decision = InspectionDecider.Decide(
            stream.Aggregate, new InspectionCommand.Redact(cmd.RedactionId, d.Case.Id, cmd.DocumentId, cmd.Version, cmd.Area, cmd.WholePage, cmd.Reason),
            clock.ContextFor(cmd.User));
        if (decision is Decision.Rejected rejected) throw new RejectedException(rejected.Rejection);
        var pages = (await copies.SourceAsync(ShownContent.Of(d.Version), ct)).Pages.Count;
        if (cmd.Area.Page > pages) throw new RequestInvalidException("redaction-page-invalid", $"The document has {pages} page(s); there is no page {cmd.Area.Page}.");
        var result = InspectionWrites.Append(stream, decision);
        return new RedactionCreated(cmd.RedactionId, result.Version);
    }
}

public static class RemoveRedactionHandler
{
    public static async Task<CommandResult> Handle(RemoveRedaction cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var (stream, _) = await InspectionWrites.LoadAsync(session, cmd.InspectionId, cmd.User, ct);
        DecideInspectionHandler.EnsureFileWorker(cmd.User);
        return InspectionWrites.Append(stream, InspectionDecider.Decide(stream.Aggregate, new InspectionCommand.RemoveRedaction(cmd.RedactionId), clock.ContextFor(cmd.User)));
    }
}

public static class ExpireInspectionHandler
{
    public static async Task Handle(ExpireInspection cmd, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Inspection>(cmd.InspectionId, ct);
        if (stream.Aggregate is null) return;
        if (InspectionDecider.Decide(stream.Aggregate, new InspectionCommand.Expire(), clock.ContextFor(InspectionWrites.System)) is Decision.Accepted a)
            stream.AppendMany(a.Events);
    }
}

/// <summary>Closes a granted inspection whose expiry date has passed (access ends on that date anyway; this records it).</summary>
public sealed record ExpireInspection(Guid InspectionId);
