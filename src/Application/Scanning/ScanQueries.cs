using System.Security.Claims;
using System.Text.Json;
using ECase.Application.Audit;
using ECase.Application.Cases;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Security;
using ECase.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace ECase.Application.Scanning;

/// <summary>The recognised text of a document version, per page, and its renditions; every read is logged.</summary>
public static class ScanQueries
{
    public const string ReadText = "read-document-text";
    public const string ReadRendition = "read-document-rendition";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/cases/{caseId:guid}/documents/{documentId:guid}/versions/{version:int}/text", TextAsync)
            .RequireAuthorization(Policies.FileWorkers).WithName("GetDocumentText").WithTags("Scanning");
        api.MapGet("/cases/{caseId:guid}/documents/{documentId:guid}/versions/{version:int}/renditions/pdfa", RenditionAsync)
            .RequireAuthorization(Policies.FileWorkers).WithName("GetPdfARendition").WithTags("Scanning");
    }

    private static async Task<(CaseDetails Case, VersionView Version)> LoadAsync(
        IQuerySession session, Guid caseId, Guid documentId, int version, ClaimsPrincipal principal, CancellationToken ct)
    {
        var details = await CaseQueries.LoadVisibleAsync(session, caseId, CurrentUser.From(principal), ct);
        var v = details.Documents.FirstOrDefault(d => d.Id == documentId)?.Versions.FirstOrDefault(x => x.Number == version)
            ?? throw new NotFoundException("document version");
        return (details, v);
    }

    private static async Task<IResult> TextAsync(
        Guid caseId, Guid documentId, int version, ClaimsPrincipal principal, IDocumentSession session, IContentStore store, TimeProvider clock, CancellationToken ct)
    {
        var (details, v) = await LoadAsync(session, caseId, documentId, version, principal, ct);
        var state = await session.Events.FetchLatest<ECase.Domain.Cases.Case>(caseId, ct);
        var textRef = state?.Documents.GetValueOrDefault(documentId)?.Versions.FirstOrDefault(x => x.Number == version)?.Text
            ?? throw new RequestInvalidException("text-not-available", $"No text for this version yet (OCR: {v.Ocr.State}).", status: 409);
        await using var stream = store.OpenRead(textRef.Sha256);
        var text = await JsonSerializer.DeserializeAsync<DocumentText>(stream, JsonSerializerOptions.Web, ct);
        await AccessLog.RecordAsync(session, clock, CurrentUser.From(principal), ReadText, details.FileId, ct, caseId, documentId, version);
        return TypedResults.Ok(text);
    }

    private static async Task<IResult> RenditionAsync(
        Guid caseId, Guid documentId, int version, ClaimsPrincipal principal, IDocumentSession session, IContentStore store, TimeProvider clock, CancellationToken ct)
    {
        var (details, v) = await LoadAsync(session, caseId, documentId, version, principal, ct);
        var rendition = v.Renditions.FirstOrDefault(r => r.Format == RunOcrHandler.RenditionFormat)
            ?? throw new RequestInvalidException("rendition-not-available", $"No PDF/A rendition for this version (OCR: {v.Ocr.State}).", status: 409);
        var content = store.OpenRead(rendition.Sha256);
        await AccessLog.RecordAsync(session, clock, CurrentUser.From(principal), ReadRendition, details.FileId, ct, caseId, documentId, version);
        return TypedResults.Stream(content, rendition.MediaType, rendition.FileName, entityTag: new EntityTagHeaderValue($"\"{rendition.Sha256}\""));
    }
}
