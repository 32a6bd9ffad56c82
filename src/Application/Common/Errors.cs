namespace ECase.Application.Common;

/// <summary>The thing does not exist, or the caller may not know that it does (404).</summary>
public sealed class NotFoundException(string what) : Exception($"The {what} was not found.")
{
    public string What { get; } = what;
}

/// <summary>The caller's role may not do this at all (403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>The request is malformed; <see cref="Errors"/> names the fields (400, or <see cref="Status"/>).</summary>
public sealed class RequestInvalidException(string code, string message, IDictionary<string, string[]>? errors = null, int status = 400)
    : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;
    public IDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();

    public static RequestInvalidException Field(string field, string message) =>
        new("validation-failed", "The request is invalid.", new Dictionary<string, string[]> { [field] = [message] });
}
