using System.Security.Cryptography;
using System.Text;
using ECase.Application.Security;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace ECase.Api.Auth;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>OpenID Connect authority (issuer URL). When set, signing keys come from its discovery document.</summary>
    public string? Authority { get; set; }

    public string Audience { get; set; } = "ecase";

    public DevTokenOptions DevTokens { get; set; } = new();
}

public sealed class DevTokenOptions
{
    public bool Enabled { get; set; }

    public string Issuer { get; set; } = "ecase-dev";

    /// <summary>Base64 HMAC key. Empty: a random key per process (tokens die with the process).</summary>
    public string? SigningKey { get; set; }

    public int LifetimeMinutes { get; set; } = 480;
}

public static class AuthSetup
{
    public static DevTokenIssuer? AddECaseAuth(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (options.DevTokens.Enabled && builder.Environment.IsProduction())
            throw new InvalidOperationException("Auth:DevTokens:Enabled must not be true in Production: it lets anyone mint tokens.");
        if (!options.DevTokens.Enabled && string.IsNullOrWhiteSpace(options.Authority))
            throw new InvalidOperationException("Configure Auth:Authority (OpenID Connect issuer) or, for local runs, Auth:DevTokens:Enabled.");

        DevTokenIssuer? devIssuer = null;
        if (options.DevTokens.Enabled)
        {
            var key = string.IsNullOrWhiteSpace(options.DevTokens.SigningKey)
                ? RandomNumberGenerator.GetBytes(32)
                : Convert.FromBase64String(options.DevTokens.SigningKey);
            devIssuer = new DevTokenIssuer(new SymmetricSecurityKey(key), options.DevTokens.Issuer, options.Audience,
                TimeSpan.FromMinutes(options.DevTokens.LifetimeMinutes));
            builder.Services.AddSingleton(devIssuer);
        }

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.Authority = string.IsNullOrWhiteSpace(options.Authority) ? null : options.Authority;
            jwt.Audience = options.Audience;
            jwt.TokenValidationParameters.NameClaimType = ClaimNames.Name;
            jwt.TokenValidationParameters.RoleClaimType = ClaimNames.Role;
            jwt.TokenValidationParameters.ClockSkew = TimeSpan.Zero;
            jwt.TokenValidationParameters.ValidateIssuer = true;
            jwt.TokenValidationParameters.ValidateAudience = true;
            jwt.TokenValidationParameters.ValidateLifetime = true;
            jwt.TokenValidationParameters.RequireExpirationTime = true;
            if (devIssuer is not null && jwt.Authority is null)
            {
                jwt.TokenValidationParameters.ValidIssuer = devIssuer.Issuer;
                jwt.TokenValidationParameters.IssuerSigningKey = devIssuer.Key;
                jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }

            jwt.Events = new JwtBearerEvents
            {
                OnChallenge = async ctx =>
                {
                    ctx.HandleResponse();
                    await Problems.ProblemWriter.WriteAsync(ctx.HttpContext, StatusCodes.Status401Unauthorized, "unauthorized",
                        ctx.AuthenticateFailure is null ? "A bearer token is required." : "The bearer token is invalid or expired.");
                },
                OnForbidden = ctx => Problems.ProblemWriter.WriteAsync(ctx.HttpContext, StatusCodes.Status403Forbidden, "forbidden",
                    "Your role may not use this endpoint."),
            };
        });
        builder.Services.AddAuthorization(o => o.AddECasePolicies());
        return devIssuer;
    }

}
