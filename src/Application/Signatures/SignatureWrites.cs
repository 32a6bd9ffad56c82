using ECase.Application.Cases;
using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.Signatures;
using Marten;

namespace ECase.Application.Signatures;

/// <summary>The body of the co-sign and sign-off requests: the document version decided on, a comment, and optionally the case version.</summary>
public sealed record SignOffRequest(int DocumentVersion, string? Comment, long? Version);

/// <summary>The load–decide–append step the co-sign and sign-off use cases share.</summary>
public static class SignatureWrites
{
    public static async Task<CommandResult> DecideAsync(
        IDocumentSession session, Guid caseId, long? expectedVersion, CurrentUser user, SignatureCommand command, TimeProvider clock, CancellationToken ct)
    {
        var stream = await CaseWrites.LoadAsync(session, caseId, expectedVersion, user, ct);
        return CaseWrites.Append(stream, SignatureDecider.Decide(stream.Aggregate, command, clock.ContextFor(user)));
    }
}
