namespace ECase.Api.Auth;

public sealed record DevTokenRequest(string? User);

public sealed record DevTokenResponse(string AccessToken, string TokenType, int ExpiresIn, DemoUser User);

/// <summary><c>/api/dev/tokens</c>: mint a token for a demo user. Mapped only when the development issuer is enabled.</summary>
public static class DevTokenEndpoints
{
    public static void MapDevTokens(this IEndpointRouteBuilder api, DevTokenIssuer issuer)
    {
        var group = api.MapGroup("/dev/tokens").AllowAnonymous().WithTags("Development");
        group.MapGet("", () => TypedResults.Ok(DevTokenIssuer.Users)).WithName("ListDemoUsers");
        group.MapGet("/{user}", (string user) => Issue(issuer, user)).WithName("GetDevToken");
        group.MapPost("", (DevTokenRequest body) => Issue(issuer, body.User)).WithName("CreateDevToken");
    }

    private static IResult Issue(DevTokenIssuer issuer, string? userId)
    {
        var user = DevTokenIssuer.Users.FirstOrDefault(u => u.Id == userId);
        if (user is null)
            return TypedResults.Problem(
                detail: $"Unknown demo user '{userId}'. Known: {string.Join(", ", DevTokenIssuer.Users.Select(u => u.Id))}.",
                statusCode: 404, type: "https://ecase.example/problems/demo-user-unknown", title: "Unknown demo user");
        return TypedResults.Ok(new DevTokenResponse(issuer.Issue(user), "Bearer", (int)issuer.Lifetime.TotalSeconds, user));
    }
}
