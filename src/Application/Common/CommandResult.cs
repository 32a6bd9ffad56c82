using Microsoft.AspNetCore.Http;

namespace ECase.Application.Common;

/// <summary>What a write returns: the stream it changed and the stream version after the change.</summary>
public sealed record CommandResult(Guid Id, long Version);

/// <summary>The stream version a client decided on: the <c>If-Match</c> header (ETag) or the body's <c>version</c>.</summary>
public static class ExpectedVersion
{
    public static long? From(HttpRequest request, long? bodyVersion)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(header)) return bodyVersion;
        var raw = header.Trim().TrimStart('W', '/').Trim('"');
        return long.TryParse(raw, out var v) && v >= 0
            ? v
            : throw RequestInvalidException.Field("If-Match", "If-Match must be an ETag of the form \"<version>\".");
    }

    public static string ETag(long version) => $"\"{version}\"";
}
