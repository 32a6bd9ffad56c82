using System.Security.Claims;
using ECase.Application.Cases;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Security;
using ECase.Domain.Cases;
using ECase.Domain.Signatures;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Wolverine;

namespace ECase.Application.Signatures;

/// <summary>Verify the signatures of a document version: a CMS file sent beside it (.p7s/.p7m), or those inside it (PAdES, .p7m).</summary>
public sealed record VerifySignature(
    Guid CaseId, Guid DocumentId, int Version, byte[]? Signature, ContentRef? SignatureRef, long? ExpectedVersion, CurrentUser User);

/// <summary>The recorded verification results and the case stream version after recording them.</summary>
public sealed record SignaturesVerified(Guid Id, long Version, IReadOnlyList<SignatureVerified> Signatures);

/// <summary>
/// <c>POST /api/cases/{caseId}/documents/{documentId}/versions/{n}/signatures</c>. The body is the signature file itself
/// (<c>application/pkcs7-signature</c> or <c>application/pkcs7-mime</c>), or empty to check the signatures inside the version.
/// Every signature found is recorded, valid or not; only a request that cannot be judged at all is refused.
/// </summary>
public static class VerifySignatureEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/cases/{caseId:guid}/documents/{documentId:guid}/versions/{version:int}/signatures", HandleAsync)
            .RequireAuthorization(Policies.FileWorkers).WithName("VerifySignature").WithTags("Signatures")
            .Accepts<byte[]>("application/pkcs7-signature", "application/pkcs7-mime", "application/octet-stream");

    private static async Task<IResult> HandleAsync(
        Guid caseId, Guid documentId, int version, string? fileName, HttpRequest request, HttpResponse response, ClaimsPrincipal principal,
        IMessageBus bus, IContentStore store, IOptions<SignatureOptions> options, IQuerySession query, CancellationToken ct)
    {
        var user = CurrentUser.From(principal);
        await CaseQueries.LoadVisibleAsync(query, caseId, user, ct);
        fileName ??= "signature.p7s";
        if (!ContentRef.IsPlainFileName(fileName)) throw RequestInvalidException.Field("fileName", $"'{fileName}' is not a plain file name.");

        var staged = await store.StageAsync(request.Body, options.Value.MaxSignatureBytes, ct);
        var created = false;
        try
        {
            byte[]? signature = null;
            ContentRef? signatureRef = null;
            if (staged.Size > 0)
            {
                signature = await System.IO.File.ReadAllBytesAsync(staged.StagingPath, ct);
                signatureRef = new ContentRef(staged.Sha256, staged.Size, MediaTypeOf(request.ContentType), fileName);
                created = await store.PromoteAsync(staged, ct);
            }

            var result = await bus.InvokeAsync<SignaturesVerified>(
                new VerifySignature(caseId, documentId, version, signature, signatureRef, ExpectedVersion.From(request, null), user), ct);
            response.Headers.ETag = ExpectedVersion.ETag(result.Version);
            return TypedResults.Ok(result);
        }
        catch
        {
            if (created) store.Delete(staged.Sha256);
            throw;
        }
        finally
        {
            if (staged.Size == 0 || !created) DiscardQuietly(store, staged);
        }
    }

    private static string MediaTypeOf(string? contentType) =>
        contentType?.Split(';')[0].Trim().ToLowerInvariant() is "application/pkcs7-mime" or "application/x-pkcs7-mime" ? "application/pkcs7-mime" : "application/pkcs7-signature";

    private static void DiscardQuietly(IContentStore store, StagedContent staged)
    {
        if (System.IO.File.Exists(staged.StagingPath)) store.Discard(staged);
    }
}

public static class VerifySignatureHandler
{
    public static async Task<SignaturesVerified> Handle(
        VerifySignature cmd, IDocumentSession session, IContentStore store, ISignatureVerifier verifier, IOptions<SignatureOptions> options,
        TimeProvider clock, CancellationToken ct)
    {
        var stream = await CaseWrites.LoadAsync(session, cmd.CaseId, cmd.ExpectedVersion, cmd.User, ct);
        var version = stream.Aggregate!.Documents.GetValueOrDefault(cmd.DocumentId)?.Versions.FirstOrDefault(v => v.Number == cmd.Version);
        IReadOnlyList<SignatureCheck> checks = [];
        if (version is not null)
        {
            if (version.Content.Size > options.Value.MaxDocumentBytes)
                throw new RequestInvalidException("document-too-large-to-verify", $"Signatures are verified on versions up to {options.Value.MaxDocumentBytes} bytes.", status: 413);
            var document = new System.IO.MemoryStream(checked((int)version.Content.Size));
            await using (var content = store.OpenRead(version.Content.Sha256)) await content.CopyToAsync(document, ct);
            var bytes = document.ToArray();
            checks = cmd.Signature is null ? verifier.VerifyEmbedded(bytes, version.Content.MediaType) : verifier.VerifyCms(cmd.Signature, bytes);
        }

        var decision = SignatureDecider.Decide(stream.Aggregate, new SignatureCommand.RecordVerification(
            cmd.DocumentId, cmd.Version, cmd.SignatureRef, [.. checks.Select(c => (Guid.CreateVersion7(), c))]), clock.ContextFor(cmd.User));
        var result = CaseWrites.Append(stream, decision);
        return new SignaturesVerified(result.Id, result.Version, [.. decision.EventsOrThrow().OfType<SignatureVerified>()]);
    }
}
