using System.Security.Claims;
using ECase.Application.Cases;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Scanning;
using ECase.Application.Security;
using ECase.Domain.Cases;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Wolverine;

namespace ECase.Application.Documents;

/// <summary>A new version of a document: its bytes are already in the content store.</summary>
public sealed record AddDocumentVersion(Guid CaseId, Guid DocumentId, ContentRef Content, long? ExpectedVersion, CurrentUser User);

/// <summary><c>POST /api/cases/{caseId}/documents/{documentId}/versions</c>, multipart/form-data with exactly one file part.</summary>
public static class AddDocumentVersionEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/cases/{caseId:guid}/documents/{documentId:guid}/versions", HandleAsync)
            .RequireAuthorization(Policies.FileWorkers).WithName("AddDocumentVersion").WithTags("Documents")
            .DisableAntiforgery().Accepts<IFormFile>("multipart/form-data");

    private static async Task<IResult> HandleAsync(
        Guid caseId, Guid documentId, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, IContentStore store,
        IOptions<ContentStoreOptions> options, IQuerySession query, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        await CaseQueries.LoadVisibleAsync(query, caseId, user, ct);
        using var upload = await Upload.ReadAsync(request, store, options.Value.MaxUploadBytes, ct);
        if (upload.Files.Count != 1) throw RequestInvalidException.Field("file", "Send exactly one file part.");

        var cmd = new AddDocumentVersion(caseId, documentId, upload.Files[0].ToContentRef(), ExpectedVersion.From(request, null), user);
        await upload.PromoteAsync(ct);
        try
        {
            var result = await bus.InvokeAsync<CommandResult>(cmd, ct);
            return TypedResults.Created($"/api/cases/{caseId}/documents/{documentId}/versions", result);
        }
        catch
        {
            upload.RollBack();
            throw;
        }
    }
}

public static class AddDocumentVersionHandler
{
    public static async Task<CommandResult> Handle(
        AddDocumentVersion cmd, IDocumentSession session, IMessageContext messages, ITextExtractor extractor, IOptions<ScanningOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var stream = await CaseWrites.LoadAsync(session, cmd.CaseId, cmd.ExpectedVersion, cmd.User, ct);
        var decision = CaseDecider.Decide(stream.Aggregate, new CaseCommand.AddDocumentVersion(cmd.DocumentId, cmd.Content), clock.ContextFor(cmd.User));
        var result = CaseWrites.Append(stream, decision);
        var added = decision.EventsOrThrow().OfType<DocumentVersionAdded>().Select(e => (e.DocumentId, e.Version, e.Content));
        foreach (var job in DocumentJobs.For(cmd.CaseId, added, extractor, options.Value)) await messages.PublishAsync(job);
        return result;
    }
}
