using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ECase.Application.Common;

public static class CommandResults
{
    /// <summary>200 with the new stream version, also as the ETag a client sends back in If-Match.</summary>
    public static Ok<CommandResult> Ok(CommandResult result) => TypedResults.Ok(result);
}
