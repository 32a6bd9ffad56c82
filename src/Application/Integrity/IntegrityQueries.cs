using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Application.Signatures;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ECase.Application.Integrity;

/// <summary>
/// The integrity evidence of a file (chain heads, latest seals with inclusion proofs) — what the 0503 export will embed —
/// plus sealing on demand and the server certificate that seals and sign-offs are verified with.
/// </summary>
public static class IntegrityQueries
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/files/{fileId:guid}/integrity", async (Guid fileId, IIntegrityService integrity, CancellationToken ct) =>
                TypedResults.Ok(await integrity.EvidenceAsync(fileId, ct) ?? throw new NotFoundException("file")))
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Roles.Auditor, Roles.Registrar, Roles.Archivist))
            .WithName("GetFileIntegrityEvidence").WithTags("Integrity");

        api.MapPost("/integrity/seals", async (IIntegrityService integrity, CancellationToken ct) =>
                await integrity.SealAsync(ct) is { } seal ? Results.Ok(seal) : Results.NoContent())
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Roles.Auditor, Roles.Registrar))
            .WithName("SealNow").WithTags("Integrity");

        api.MapGet("/integrity/server-certificate", (IServerSigner signer) =>
                TypedResults.Text(signer.Certificate.ExportCertificatePem() + "\n", "application/x-pem-file"))
            .RequireAuthorization(Policies.Staff).WithName("GetServerCertificate").WithTags("Integrity");
    }
}
