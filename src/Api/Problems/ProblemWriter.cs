using Microsoft.AspNetCore.Mvc;

namespace ECase.Api.Problems;

/// <summary>Writes RFC 9457 problem responses whose <c>type</c> names the problem.</summary>
public static class ProblemWriter
{
    public const string TypeBase = "https://ecase.example/problems/";

    public static ProblemDetails Create(HttpContext http, int status, string code, string detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is { Count: > 0 } ? new ValidationProblemDetails(errors) : new ProblemDetails();
        problem.Status = status;
        problem.Type = TypeBase + code;
        problem.Title = Titleize(code);
        problem.Detail = detail;
        problem.Instance = http.Request.Path;
        problem.Extensions["code"] = code;
        problem.Extensions["traceId"] = http.TraceIdentifier;
        return problem;
    }

    public static async Task WriteAsync(HttpContext http, int status, string code, string detail, IDictionary<string, string[]>? errors = null)
    {
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = status;
        var writer = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = Create(http, status, code, detail, errors) });
    }

    private static string Titleize(string code) => code.Length == 0 ? code : char.ToUpperInvariant(code[0]) + code[1..].Replace('-', ' ');
}
