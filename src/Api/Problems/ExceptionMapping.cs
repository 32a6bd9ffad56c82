using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Domain.Common;
using JasperFx;
using JasperFx.Events;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace ECase.Api.Problems;

/// <summary>Maps what handlers and the framework throw to problem responses (STYLE.md: 400/403/404/409/412/413).</summary>
public sealed class ExceptionMapping(ILogger<ExceptionMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, code, detail, errors) = Map(http, Unwrap(exception));
        if (status >= 500) logger.LogError(exception, "Request failed: {Code}", code);
        else logger.LogInformation("Request refused with {Status} {Code}: {Detail}", status, code, detail);
        await ProblemWriter.WriteAsync(http, status, code, detail, errors);
        return true;
    }

    private static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerExceptions[0]),
        _ when e.GetType().Name.Contains("Wrapper", StringComparison.Ordinal) && e.InnerException is { } inner => Unwrap(inner),
        _ => e,
    };

    private static (int, string, string, IDictionary<string, string[]>?) Map(HttpContext http, Exception e) => e switch
    {
        RejectedException r => (r.Rejection.Kind switch
        {
            RejectionKind.Invalid => 400,
            RejectionKind.NotFound => 404,
            RejectionKind.Forbidden => 403,
            _ => 409,
        }, r.Rejection.Code, r.Rejection.Message, null),
        RequestInvalidException v => (v.Status, v.Code, v.Message, v.Errors),
        NotFoundException n => (404, "not-found", n.Message, null),
        ForbiddenException f => (403, "forbidden", f.Message, null),
        ContentTooLargeException t => (413, "upload-too-large", t.Message, null),
        ContentMissingException or ContentCorruptedException => (500, "content-integrity", e.Message, null),
        ExistingStreamIdCollisionException => (409, "already-exists", "Something with this id exists already.", null),
        ConcurrencyException or DcbConcurrencyException => Stale(http),
        _ when Conflicts.IsVersionConflict(e) => Stale(http),
        BadHttpRequestException b => (b.StatusCode, b.StatusCode == 413 ? "upload-too-large" : "bad-request", b.Message, null),
        _ when Find<PostgresException>(e) is { SqlState: PostgresErrorCodes.UniqueViolation } =>
            (409, "unique-violation", "Another record already holds this unique value.", null),
        _ => (500, "internal-error", "An unexpected error occurred; it has been logged.", null),
    };

    private static (int, string, string, IDictionary<string, string[]>?) Stale(HttpContext http) =>
        http.Request.Headers.IfMatch.Count > 0
            ? (412, "precondition-failed", "The resource changed since the version named in If-Match; reload and decide again.", null)
            : (409, "concurrency-conflict", "The resource changed since the version this write was decided on; reload and decide again.", null);

    private static T? Find<T>(Exception? e) where T : Exception
    {
        for (; e is not null; e = e.InnerException)
            if (e is T t) return t;
        return null;
    }
}
