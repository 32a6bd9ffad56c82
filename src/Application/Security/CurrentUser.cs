using System.Security.Claims;
using ECase.Domain.Common;

namespace ECase.Application.Security;

public static class Roles
{
    public const string Clerk = "clerk";
    public const string Registrar = "registrar";
    public const string Archivist = "archivist";
    public const string Citizen = "citizen";
    public const string Auditor = "auditor";

    public static readonly string[] Staff = [Clerk, Registrar, Archivist, Auditor];
    public static readonly string[] FileWorkers = [Clerk, Registrar];
}

/// <summary>Names of the token claims ECase reads.</summary>
public static class ClaimNames
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    public const string OrgUnit = "org_unit";
    public const string Clearance = "clearance";
}

/// <summary>The caller as the token describes them: who, which role, which org unit, which clearance.</summary>
public sealed record CurrentUser(string Id, string Name, string Role, string OrgUnit, Confidentiality Clearance)
{
    public Actor AsActor => new(Id, Role, OrgUnit);

    public static CurrentUser From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimNames.Subject) ?? throw new UnauthorizedAccessException("The token has no subject.");
        var clearance = int.TryParse(principal.FindFirstValue(ClaimNames.Clearance), out var c) && Enum.IsDefined(typeof(Confidentiality), c)
            ? (Confidentiality)c
            : Confidentiality.Open;
        return new CurrentUser(
            id, principal.FindFirstValue(ClaimNames.Name) ?? id, principal.FindFirstValue(ClaimNames.Role) ?? "",
            principal.FindFirstValue(ClaimNames.OrgUnit) ?? "", clearance);
    }
}
