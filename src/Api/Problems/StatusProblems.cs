namespace ECase.Api.Problems;

/// <summary>Problem bodies for responses the framework ends without one (unknown route, wrong method, wrong media type).</summary>
public static class StatusProblems
{
    public static Task WriteAsync(HttpContext http)
    {
        var status = http.Response.StatusCode;
        var (code, detail) = status switch
        {
            401 => ("unauthorized", "A valid bearer token is required."),
            403 => ("forbidden", "Your role may not use this endpoint."),
            404 => ("not-found", "There is nothing at this address."),
            405 => ("method-not-allowed", $"{http.Request.Method} is not allowed here."),
            413 => ("upload-too-large", "The request body is too large."),
            415 => ("unsupported-media-type", $"'{http.Request.ContentType}' is not accepted here."),
            _ => ("http-" + status, $"The request ended with status {status}."),
        };
        return ProblemWriter.WriteAsync(http, status, code, detail);
    }
}
