using ECase.Domain.Cases;
using ECase.Domain.Common;

namespace ECase.Domain.Signatures;

public abstract record SignatureCommand
{
    private SignatureCommand() { }

    /// <summary>Record the results of verifying signatures on a version (one event per signature found).</summary>
    public sealed record RecordVerification(Guid DocumentId, int Version, ContentRef? Signature, IReadOnlyList<(Guid Id, SignatureCheck Check)> Results) : SignatureCommand;

    public sealed record RequestCoSign(Guid DocumentId, int Version, IReadOnlyList<string> CoSigners) : SignatureCommand;

    public sealed record CoSign(Guid DocumentId, int Version, string? Comment) : SignatureCommand;

    public sealed record DeclineCoSign(Guid DocumentId, int Version, string? Comment) : SignatureCommand;

    public sealed record SignOff(Guid DocumentId, int Version, string? Comment) : SignatureCommand;
}

public static class SignatureRejections
{
    public const int MaxCoSigners = 20;
    public const int MaxCommentLength = 2000;

    public static readonly Rejection VersionUnknown = new("document-version-unknown", "There is no such version of the document.", RejectionKind.NotFound);
    public static readonly Rejection VersionChanged = new("document-version-changed", "The document has a newer version; co-signing and sign-off apply to the latest version only.");
    public static readonly Rejection NoSignature = new("no-signature-found", "The version holds no signature to verify, and none was sent.", RejectionKind.Invalid);
    public static readonly Rejection SignedOff = new("document-signed-off", "This version is signed off and frozen; a change needs a new version and a new sign-off.");
    public static readonly Rejection CoSignersRequired = new("co-signers-required", $"Name between 1 and {MaxCoSigners} distinct co-signers (user ids).", RejectionKind.Invalid);
    public static readonly Rejection NotRequested = new("co-sign-not-requested", "Only the clerks asked to co-sign this version can co-sign or decline it.");
    public static readonly Rejection AlreadyAnswered = new("co-sign-already-answered", "You have already co-signed or declined this version.");
    public static readonly Rejection CommentRequired = new("comment-required", "Declining to co-sign needs a comment that says why.", RejectionKind.Invalid);
    public static readonly Rejection CommentTooLong = new("comment-too-long", $"A comment holds at most {MaxCommentLength} characters.", RejectionKind.Invalid);
    public static readonly Rejection CoSignPending = new("co-sign-pending", "Not all requested co-signatures are in; the final sign-off waits for them.");
    public static readonly Rejection CoSignDeclined = new("co-sign-declined", "A requested co-signer declined; ask again or change the document before the final sign-off.");
}

/// <summary>Decisions about signatures on the documents of a case: verification results, co-signing, final sign-off.</summary>
public static class SignatureDecider
{
    public static Decision Decide(Case? state, SignatureCommand command, CommandContext ctx)
    {
        if (state is null) return CaseRejections.Unknown;
        if (state.Status == CaseStatus.Closed) return CaseRejections.CaseClosed;
        var documentId = command switch
        {
            SignatureCommand.RecordVerification c => c.DocumentId,
            SignatureCommand.RequestCoSign c => c.DocumentId,
            SignatureCommand.CoSign c => c.DocumentId,
            SignatureCommand.DeclineCoSign c => c.DocumentId,
            SignatureCommand.SignOff c => c.DocumentId,
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
        if (!state.Documents.TryGetValue(documentId, out var doc)) return CaseRejections.UnknownDocument;
        if (command is SignatureCommand.RecordVerification verification) return Record(state, doc, verification, ctx);

        var version = command switch
        {
            SignatureCommand.RequestCoSign c => c.Version,
            SignatureCommand.CoSign c => c.Version,
            SignatureCommand.DeclineCoSign c => c.Version,
            SignatureCommand.SignOff c => c.Version,
            _ => 0,
        };
        if (doc.Versions.All(v => v.Number != version)) return SignatureRejections.VersionUnknown;
        if (version != doc.Latest.Number) return SignatureRejections.VersionChanged;
        var round = SignOffRound.Current(doc);
        if (round.SignedOff) return SignatureRejections.SignedOff;

        return command switch
        {
            SignatureCommand.RequestCoSign c => RequestCoSign(state, doc, c, ctx),
            SignatureCommand.CoSign c => Answer(round, ctx, c.Comment, approve: true)
                ?? Decision.Of(new CoSigned(state.Id, doc.Id, version, Clean(c.Comment), ctx.By, ctx.Now)),
            SignatureCommand.DeclineCoSign c => Answer(round, ctx, c.Comment, approve: false)
                ?? Decision.Of(new CoSignDeclined(state.Id, doc.Id, version, Clean(c.Comment)!, ctx.By, ctx.Now)),
            SignatureCommand.SignOff c => SignOff(state, doc, round, c, ctx),
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
    }

    /// <summary>
    /// What the system's key signs at a final sign-off: plain UTF-8 text naming the document version by its SHA-256,
    /// so anyone with the signature and the statement can check it (e.g. <c>openssl cms -verify</c>).
    /// </summary>
    public static string Statement(Guid caseId, Guid documentId, int version, string sha256, string signedOffBy, IReadOnlyList<string> coSigners, DateTimeOffset at) =>
        $"""
        ECase Schlusszeichnung (final sign-off)
        case: {caseId}
        document: {documentId}
        version: {version}
        sha256: {sha256}
        signed-off-by: {signedOffBy}
        co-signed-by: {string.Join(", ", coSigners)}
        signed-off-at: {at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}

        """;

    private static Decision Record(Case state, Document doc, SignatureCommand.RecordVerification c, CommandContext ctx)
    {
        if (doc.Versions.All(v => v.Number != c.Version)) return SignatureRejections.VersionUnknown;
        if (c.Results.Count == 0) return SignatureRejections.NoSignature;
        if (c.Signature?.Validate() is { } bad) return bad;
        return new Decision.Accepted([.. c.Results.Select((r, i) =>
            (object)new SignatureVerified(state.Id, doc.Id, c.Version, r.Id, i + 1, c.Signature, r.Check, ctx.By, ctx.Now))]);
    }

    private static Decision RequestCoSign(Case state, Document doc, SignatureCommand.RequestCoSign c, CommandContext ctx)
    {
        var names = c.CoSigners?.Select(u => u?.Trim() ?? "").ToList() ?? [];
        if (names.Count is 0 or > SignatureRejections.MaxCoSigners || names.Any(u => u.Length is 0 or > 200 || u.Any(char.IsControl))
            || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            return SignatureRejections.CoSignersRequired;
        }

        return Decision.Of(new CoSignRequested(state.Id, doc.Id, c.Version, names, ctx.By, ctx.Now));
    }

    private static Rejection? Answer(SignOffRound round, CommandContext ctx, string? comment, bool approve) =>
        !round.Requested.Contains(ctx.By.UserId) ? SignatureRejections.NotRequested
        : round.Votes.ContainsKey(ctx.By.UserId) ? SignatureRejections.AlreadyAnswered
        : !approve && string.IsNullOrWhiteSpace(comment) ? SignatureRejections.CommentRequired
        : comment?.Trim().Length > SignatureRejections.MaxCommentLength ? SignatureRejections.CommentTooLong
        : null;

    private static Decision SignOff(Case state, Document doc, SignOffRound round, SignatureCommand.SignOff c, CommandContext ctx)
    {
        if (c.Comment?.Trim().Length > SignatureRejections.MaxCommentLength) return SignatureRejections.CommentTooLong;
        if (round.Declined.Any()) return SignatureRejections.CoSignDeclined;
        if (round.Pending.Any()) return SignatureRejections.CoSignPending;
        var coSigners = round.Requested.ToList();
        var sha = doc.Latest.Content.Sha256;
        return Decision.Of(new DocumentSignedOff(
            state.Id, doc.Id, c.Version, sha, coSigners, Clean(c.Comment),
            Statement(state.Id, doc.Id, c.Version, sha, ctx.By.UserId, coSigners, ctx.Now), null, ctx.By, ctx.Now));
    }

    private static string? Clean(string? comment) => string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
}
