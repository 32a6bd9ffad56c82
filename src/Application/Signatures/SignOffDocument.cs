using System.Security.Claims;
using System.Text;
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
using Wolverine;

namespace ECase.Application.Signatures;

/// <summary>Schlusszeichnung: the final sign-off of the latest version of a document, once all requested co-signatures are in.</summary>
public sealed record SignOffDocument(Guid CaseId, Guid DocumentId, int DocumentVersion, string? Comment, long? ExpectedVersion, CurrentUser User);

/// <summary><c>POST /api/cases/{caseId}/documents/{documentId}/sign-off</c></summary>
public static class SignOffDocumentEndpoint
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/cases/{caseId:guid}/documents/{documentId:guid}/sign-off", async (
                Guid caseId, Guid documentId, SignOffRequest body, HttpRequest request, ClaimsPrincipal principal, IMessageBus bus, CancellationToken ct) =>
                CommandResults.Ok(await bus.InvokeAsync<CommandResult>(new SignOffDocument(
                    caseId, documentId, body.DocumentVersion, body.Comment, ExpectedVersion.From(request, body.Version), CurrentUser.From(principal)), ct)))
            .RequireAuthorization(Policies.FileWorkers).WithName("SignOffDocument").WithTags("Signatures");
}

public static class SignOffDocumentHandler
{
    /// <summary>
    /// The server's key signs the sign-off statement (detached CMS, stored as a blob), so the sign-off can be checked outside
    /// ECase: <c>openssl cms -verify -binary -inform DER -in signoff.p7s -content statement.txt -CAfile server.pem</c>.
    /// </summary>
    public static async Task<CommandResult> Handle(
        SignOffDocument cmd, IDocumentSession session, IContentStore store, IServerSigner signer, TimeProvider clock, CancellationToken ct)
    {
        var stream = await CaseWrites.LoadAsync(session, cmd.CaseId, cmd.ExpectedVersion, cmd.User, ct);
        var ctx = clock.ContextFor(cmd.User);
        var events = SignatureDecider.Decide(stream.Aggregate, new SignatureCommand.SignOff(cmd.DocumentId, cmd.DocumentVersion, cmd.Comment), ctx).EventsOrThrow();
        var signedOff = events.OfType<DocumentSignedOff>().Single();
        var signature = signer.SignDetached(Encoding.UTF8.GetBytes(signedOff.Statement), ctx.Now);
        var staged = await store.PutAsync(new System.IO.MemoryStream(signature), ct);
        var withSignature = signedOff with
        {
            ServerSignature = new ContentRef(staged.Sha256, staged.Size, "application/pkcs7-signature", $"sign-off-{cmd.DocumentId:N}-v{cmd.DocumentVersion}.p7s"),
        };
        return CaseWrites.Append(stream, Domain.Common.Decision.Of(withSignature));
    }
}
