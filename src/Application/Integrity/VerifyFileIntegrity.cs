using ECase.Application.Common;
using ECase.Application.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ECase.Application.Integrity;

/// <summary>
/// <c>POST /api/files/{fileId}/verify</c> for auditors and registrars: recompute the file's hash chains, check them against
/// the seals and rehash its content. Always 200 with the report; <c>intact</c> says whether anything did not match.
/// </summary>
public static class VerifyFileIntegrity
{
    public static void Map(IEndpointRouteBuilder api) =>
        api.MapPost("/files/{fileId:guid}/verify", async (Guid fileId, IIntegrityService integrity, CancellationToken ct) =>
                TypedResults.Ok(await integrity.VerifyFileAsync(fileId, ct) ?? throw new NotFoundException("file")))
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireRole(Roles.Auditor, Roles.Registrar))
            .WithName("VerifyFileIntegrity").WithTags("Integrity");
}
