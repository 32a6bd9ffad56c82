using System.Reflection;

namespace ECase.Api.Portal;

/// <summary>
/// The Akteneinsicht pages (issue #7): static HTML, CSS and JS embedded in the API assembly, so every host serves them
/// the same way (./ecase.sh run, test hosts, the build output). The pages hold no data and need no token themselves;
/// their scripts call the API with the bearer token the user signs in with.
/// </summary>
public static class PortalSetup
{
    private const string ResourcePrefix = "portal/";

    // Scripts only from our own files (no inline script or style); page images are fetched with the token and shown as blob: URLs.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static readonly Dictionary<string, string> MediaTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private static readonly Lazy<Dictionary<string, byte[]>> Files = new(Load);

    public static IEndpointRouteBuilder MapPortal(this IEndpointRouteBuilder app)
    {
        // Routing matches /portal and /portal/ alike; only the latter resolves the pages' relative links.
        app.MapGet("/portal/{name?}", (string? name, HttpContext http) =>
                http.Request.Path.Value is { } path && !path.EndsWith('/') && name is null
                    ? Results.Redirect(http.Request.PathBase + "/portal/")
                    : Serve(http, name ?? "index.html"))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, string name)
    {
        if (!Files.Value.TryGetValue(name, out var bytes))
            return TypedResults.NotFound();
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return TypedResults.Bytes(bytes, MediaTypes[System.IO.Path.GetExtension(name)]);
    }

    private static Dictionary<string, byte[]> Load()
    {
        var assembly = typeof(PortalSetup).Assembly;
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new System.IO.MemoryStream();
            stream.CopyTo(copy);
            files[resource[ResourcePrefix.Length..]] = copy.ToArray();
        }

        return files;
    }
}
