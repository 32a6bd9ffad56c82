using System.Collections.Immutable;
using ECase.Domain.Cases;

namespace ECase.Domain.Signatures;

/// <summary>A requested co-signer's answer.</summary>
public sealed record CoSignVote(bool Approved, string? Comment, DateTimeOffset At);

/// <summary>
/// The sign-off round (Mitzeichnung, Schlusszeichnung) of one version of a document. A round belongs to the version it
/// was opened for: once the document has a newer version the round is void (<see cref="AppliesTo"/>).
/// </summary>
public sealed record SignOffRound(int Version, ImmutableList<string> Requested, ImmutableDictionary<string, CoSignVote> Votes)
{
    public string? SignedOffBy { get; init; }

    public DateTimeOffset? SignedOffAt { get; init; }

    public bool SignedOff => SignedOffBy is not null;

    public IEnumerable<string> Pending => Requested.Where(u => !Votes.ContainsKey(u));

    public IEnumerable<string> Declined => Requested.Where(u => Votes.TryGetValue(u, out var v) && !v.Approved);

    public static SignOffRound For(int version) => new(version, [], ImmutableDictionary<string, CoSignVote>.Empty);

    /// <summary>
    /// The round of the document's latest version. A newer version voids the earlier round's co-signatures and sign-off,
    /// but the clerks who were asked stay asked: adding a version must not be a way around the co-signing.
    /// </summary>
    public static SignOffRound Current(Document document) => RoundFor(document.SignOff, document.Latest.Number);

    internal static SignOffRound RoundFor(SignOffRound? round, int version) => round switch
    {
        null => For(version),
        { Version: var v } when v == version => round,
        _ => For(version) with { Requested = round.Requested },
    };
}

/// <summary>How the sign-off events change a case's documents (called from <see cref="Case.Evolve"/>).</summary>
public static class SignOffs
{
    public static Case Evolve(Case state, object @event) => @event switch
    {
        CoSignRequested e => Change(state, e.DocumentId, e.Version, r => r with
        {
            // Asking a clerk again (e.g. after a decline) clears their earlier answer.
            Requested = r.Requested.AddRange(e.CoSigners.Where(u => !r.Requested.Contains(u))),
            Votes = r.Votes.RemoveRange(e.CoSigners),
        }),
        CoSigned e => Change(state, e.DocumentId, e.Version, r => r with { Votes = r.Votes.SetItem(e.CoSignedBy.UserId, new CoSignVote(true, e.Comment, e.CoSignedAt)) }),
        CoSignDeclined e => Change(state, e.DocumentId, e.Version, r => r with { Votes = r.Votes.SetItem(e.DeclinedBy.UserId, new CoSignVote(false, e.Comment, e.DeclinedAt)) }),
        DocumentSignedOff e => Change(state, e.DocumentId, e.Version, r => r with { SignedOffBy = e.SignedOffBy.UserId, SignedOffAt = e.SignedOffAt }),
        _ => state,
    };

    private static Case Change(Case state, Guid documentId, int version, Func<SignOffRound, SignOffRound> change)
    {
        if (!state.Documents.TryGetValue(documentId, out var doc)) return state;
        var round = SignOffRound.RoundFor(doc.SignOff, version);
        return state with { Documents = state.Documents.SetItem(documentId, doc with { SignOff = change(round) }) };
    }
}
