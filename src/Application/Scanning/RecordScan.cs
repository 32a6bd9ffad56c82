using System.Globalization;
using System.Security.Claims;
using ECase.Application.Cases;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Security;
using ECase.Domain.Cases;
using ECase.Domain.Scanning;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Wolverine;

namespace ECase.Application.Scanning;

/// <summary>A clerk records a scanned paper original with its scan protocol and quality check (TR-RESISCAN).</summary>
public sealed record RecordScan(
    Guid CaseId, Guid DocumentId, string Title, ContentRef Image, ScanProtocol Protocol, QualityCheck Quality, string Language,
    long? ExpectedVersion, CurrentUser User);

public sealed record ScanRecorded(Guid CaseId, Guid DocumentId, bool OcrQueued, long Version);

/// <summary>
/// <c>POST /api/cases/{id}/scans</c>, multipart/form-data with one image part (TIFF, PNG, JPEG, or a scanner's image-only PDF) and the protocol fields
/// <c>title, operator, device, profile, resolutionDpi, colourMode, capturedAt, pageCount, protectionNeed,
/// originalMayBeDestroyed, destroyOriginalAfter, checkedBy, qualityAccepted, qualityReason, language</c>.
/// </summary>
public static class RecordScanEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/cases/{caseId:guid}/scans", HandleAsync)
            .RequireAuthorization(Policies.FileWorkers).WithName("RecordScan").WithTags("Scanning")
            .DisableAntiforgery().Accepts<IFormFile>("multipart/form-data");

    private static async Task<IResult> HandleAsync(
        Guid caseId, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, IContentStore store, IOcrEngine ocr, IPdfRasterizer rasterizer,
        IOptions<ContentStoreOptions> options, IOptions<ScanningOptions> scanning, IQuerySession query, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        await CaseQueries.LoadVisibleAsync(query, caseId, user, ct);
        using var upload = await Upload.ReadAsync(request, store, options.Value.MaxUploadBytes, ct);
        if (upload.Files.Count != 1) throw RequestInvalidException.Field("image", "Send exactly one image part.");
        var image = upload.Files[0];

        int pages;
        try
        {
            pages = image.MediaType == "application/pdf"
                ? rasterizer.CountPages(image.Staged.StagingPath, Int(upload, "resolutionDpi") ?? 300, scanning.Value.MaxPdfPagePixels)
                : ocr.CountPages(image.Staged.StagingPath);
        }
        catch (OcrInputException e)
        {
            throw new RequestInvalidException(e.Code, e.Message, new Dictionary<string, string[]> { [image.FieldName] = [e.Message] });
        }

        var declared = Int(upload, "pageCount") ?? pages;
        if (declared != pages)
            throw RequestInvalidException.Field("pageCount", $"The protocol says {declared} pages, the image has {pages}.");
        var protocol = new ScanProtocol(
            upload.Field("operator") ?? user.Name, upload.Field("device") ?? "", upload.Field("profile") ?? "",
            Int(upload, "resolutionDpi") ?? 300, Parse(upload, "colourMode", ColourMode.Grayscale), Date(upload, "capturedAt") ?? clock.GetUtcNow(),
            pages, Parse(upload, "protectionNeed", ProtectionNeed.Normal), Bool(upload, "originalMayBeDestroyed") ?? false,
            upload.Field("destroyOriginalAfter") is { } d
                ? DateOnly.TryParse(d, CultureInfo.InvariantCulture, out var day) ? day : throw RequestInvalidException.Field("destroyOriginalAfter", "Use yyyy-MM-dd.")
                : null);
        var quality = new QualityCheck(upload.Field("checkedBy") ?? "", Bool(upload, "qualityAccepted") ?? false, upload.Field("qualityReason"));

        var cmd = new RecordScan(caseId, Guid.CreateVersion7(), upload.Field("title") ?? System.IO.Path.GetFileNameWithoutExtension(image.FileName),
            image.ToContentRef(), protocol, quality, upload.Field("language") ?? "deu", ExpectedVersion.From(request, null), user);
        await upload.PromoteAsync(ct);
        try
        {
            var result = await bus.InvokeAsync<ScanRecorded>(cmd, ct);
            return TypedResults.Created($"/api/cases/{caseId}", result);
        }
        catch
        {
            upload.RollBack();
            throw;
        }
    }

    private static int? Int(Upload u, string name) => u.Field(name) is not { } v ? null
        : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i
        : throw RequestInvalidException.Field(name, $"{name} must be a whole number.");

    private static bool? Bool(Upload u, string name) => u.Field(name) is not { } v ? null
        : bool.TryParse(v, out var b) ? b : throw RequestInvalidException.Field(name, $"{name} must be true or false.");

    private static DateTimeOffset? Date(Upload u, string name) => u.Field(name) is not { } v ? null
        : DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d
        : throw RequestInvalidException.Field(name, $"{name} must be an ISO 8601 date and time.");

    private static T Parse<T>(Upload u, string name, T fallback) where T : struct, Enum => u.Field(name) is not { } v ? fallback
        : Enum.TryParse<T>(v, ignoreCase: true, out var e) && Enum.IsDefined(e) ? e
        : throw RequestInvalidException.Field(name, $"{name} is one of {string.Join(", ", Enum.GetNames<T>())}.");
}

public static class RecordScanHandler
{
    public static async Task<ScanRecorded> Handle(RecordScan cmd, IDocumentSession session, IMessageContext messages, TimeProvider clock, CancellationToken ct)
    {
        var stream = await CaseWrites.LoadAsync(session, cmd.CaseId, cmd.ExpectedVersion, cmd.User, ct);
        var result = CaseWrites.Append(stream, ScanDecider.Decide(stream.Aggregate,
            new ScanCommand.Record(cmd.DocumentId, cmd.Title, cmd.Image, cmd.Protocol, cmd.Quality, cmd.Language), clock.ContextFor(cmd.User)));
        // Follow-on work goes through the outbox in the same transaction: the job exists if and only if the scan does.
        if (cmd.Quality.Accepted)
            await messages.PublishAsync(new RunOcr(
                cmd.CaseId, cmd.DocumentId, 1, cmd.Image.Sha256, cmd.Title, cmd.Language, cmd.Image.MediaType, cmd.Protocol.ResolutionDpi));
        return new ScanRecorded(cmd.CaseId, cmd.DocumentId, cmd.Quality.Accepted, result.Version);
    }
}
