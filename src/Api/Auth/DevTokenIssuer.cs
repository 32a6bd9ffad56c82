using System.Security.Claims;
using ECase.Application.Security;
using ECase.Domain.Common;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ECase.Api.Auth;

/// <summary>A demo user of the development token issuer.</summary>
public sealed record DemoUser(string Id, string Name, string Role, string OrgUnit, Confidentiality Clearance);

/// <summary>Signs tokens for demo users in local runs and tests. Never enabled in Production (ADR 0005).</summary>
public sealed class DevTokenIssuer(SymmetricSecurityKey key, string issuer, string audience, TimeSpan lifetime)
{
    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("clerk-ha", "Hanna Albrecht", Roles.Clerk, "HA", Confidentiality.Restricted),
        new("clerk-oa", "Oskar Arnold", Roles.Clerk, "OA", Confidentiality.Restricted),
        new("registrar", "Rita Registratur", Roles.Registrar, "REG", Confidentiality.Confidential),
        new("archivist", "Arne Archiv", Roles.Archivist, "ARCH", Confidentiality.Open),
        new("citizen", "Clara Citizen", Roles.Citizen, "", Confidentiality.Open),
        new("citizen-2", "Carl Bürger", Roles.Citizen, "", Confidentiality.Open),
        new("auditor", "Dana Datenschutz", Roles.Auditor, "DS", Confidentiality.TopSecret),
    ];

    public SymmetricSecurityKey Key => key;

    public string Issuer => issuer;

    public string Issue(DemoUser user, TimeSpan? validFor = null, DateTime? now = null)
    {
        var issuedAt = now ?? DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (validFor ?? lifetime),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(ClaimNames.Subject, user.Id), new Claim(ClaimNames.Name, user.Name), new Claim(ClaimNames.Role, user.Role),
                new Claim(ClaimNames.OrgUnit, user.OrgUnit), new Claim(ClaimNames.Clearance, ((int)user.Clearance).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ]),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public TimeSpan Lifetime => lifetime;
}
