using System.Text.Json;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.Signatures;
using static ECase.Domain.Tests.Fixtures;

namespace ECase.Domain.Tests;

public sealed class SignatureDeciderTests() : DeciderSpec<Case, SignatureCommand>(Case.Evolve, SignatureDecider.Decide)
{
    private static readonly Guid CaseId = Id(101);
    private static readonly Guid FileId = Id(10);
    private static readonly Guid DocId = Id(1001);

    private static readonly Actor Meier = new("u-meier", "clerk", "HA");
    private static readonly Actor Schulz = new("u-schulz", "clerk", "HA");
    private static readonly Actor Outsider = new("u-other", "clerk", "HA");
    private static readonly CommandContext AsMeier = new(Meier, Now);
    private static readonly CommandContext AsSchulz = new(Schulz, Now);

    private static readonly CaseOpened Opened = new(CaseId, FileId, "Bauantrag", "HA", Clerk, Now);
    private static readonly DocumentAdded Added = new(CaseId, DocId, "Bescheid", null, Content(1), Clerk, Now);
    private static readonly DocumentVersionAdded Version2 = new(CaseId, DocId, 2, Content(2), Clerk, Now);
    private static readonly CoSignRequested Requested = new(CaseId, DocId, 1, ["u-meier", "u-schulz"], Clerk, Now);
    private static readonly CoSigned MeierSigned = new(CaseId, DocId, 1, "ok", Meier, Now);
    private static readonly CoSigned SchulzSigned = new(CaseId, DocId, 1, null, Schulz, Now);

    private static void ThenExactly(Outcome<Case> outcome, params object[] expected) =>
        Assert.Equal(Json(expected), Json(outcome.Accepted()));

    private static string Json(IEnumerable<object> events) => JsonSerializer.Serialize(events.Select(e => new { Type = e.GetType().Name, Event = (object)e }));

    // ---- co-sign requests ----

    [Fact]
    public void Requesting_co_signatures_names_the_clerks_and_the_latest_version()
    {
        ThenExactly(Given(Opened, Added).When(new SignatureCommand.RequestCoSign(DocId, 1, [" u-meier", "u-schulz"])), Requested);
    }

    [Theory]
    [InlineData("")]
    [InlineData("u-meier,u-meier")]
    [InlineData(" ")]
    public void A_co_sign_request_needs_distinct_named_clerks(string coSigners) =>
        Given(Opened, Added).When(new SignatureCommand.RequestCoSign(DocId, 1, coSigners.Length == 0 ? [] : coSigners.Split(',')))
            .ThenRejected(SignatureRejections.CoSignersRequired);

    [Fact]
    public void Co_signing_an_unknown_document_is_rejected() =>
        Given(Opened).When(new SignatureCommand.RequestCoSign(Id(9), 1, ["u-meier"])).ThenRejected(CaseRejections.UnknownDocument);

    // ---- co-signing: only the requested clerks ----

    [Fact]
    public void A_requested_clerk_co_signs_with_a_comment() =>
        ThenExactly(Given(Opened, Added, Requested).When(new SignatureCommand.CoSign(DocId, 1, " ok "), AsMeier), MeierSigned);

    [Fact]
    public void Only_the_requested_clerks_can_co_sign() =>
        Given(Opened, Added, Requested).When(new SignatureCommand.CoSign(DocId, 1, null), new CommandContext(Outsider, Now))
            .ThenRejected(SignatureRejections.NotRequested);

    [Fact]
    public void Without_a_request_nobody_can_co_sign() =>
        Given(Opened, Added).When(new SignatureCommand.CoSign(DocId, 1, null), AsMeier).ThenRejected(SignatureRejections.NotRequested);

    [Fact]
    public void A_clerk_co_signs_once() =>
        Given(Opened, Added, Requested, MeierSigned).When(new SignatureCommand.CoSign(DocId, 1, null), AsMeier)
            .ThenRejected(SignatureRejections.AlreadyAnswered);

    [Fact]
    public void Declining_needs_a_reason() =>
        Given(Opened, Added, Requested).When(new SignatureCommand.DeclineCoSign(DocId, 1, "  "), AsSchulz).ThenRejected(SignatureRejections.CommentRequired);

    [Fact]
    public void A_requested_clerk_declines_with_a_reason() =>
        ThenExactly(Given(Opened, Added, Requested).When(new SignatureCommand.DeclineCoSign(DocId, 1, "Frist falsch"), AsSchulz),
            new CoSignDeclined(CaseId, DocId, 1, "Frist falsch", Schulz, Now));

    // ---- final sign-off ----

    [Fact]
    public void No_final_sign_off_while_a_co_signature_is_pending() =>
        Given(Opened, Added, Requested, MeierSigned).When(new SignatureCommand.SignOff(DocId, 1, null)).ThenRejected(SignatureRejections.CoSignPending);

    [Fact]
    public void No_final_sign_off_after_a_decline() =>
        Given(Opened, Added, Requested, MeierSigned, new CoSignDeclined(CaseId, DocId, 1, "nein", Schulz, Now))
            .When(new SignatureCommand.SignOff(DocId, 1, null)).ThenRejected(SignatureRejections.CoSignDeclined);

    [Fact]
    public void Asking_a_decliner_again_reopens_their_co_signature() =>
        Given(Opened, Added, Requested, MeierSigned, new CoSignDeclined(CaseId, DocId, 1, "nein", Schulz, Now),
                new CoSignRequested(CaseId, DocId, 1, ["u-schulz"], Clerk, Now))
            .When(new SignatureCommand.SignOff(DocId, 1, null)).ThenRejected(SignatureRejections.CoSignPending);

    [Fact]
    public void With_all_co_signatures_in_the_final_sign_off_names_the_version_its_hash_and_the_co_signers()
    {
        var events = Given(Opened, Added, Requested, MeierSigned, SchulzSigned).When(new SignatureCommand.SignOff(DocId, 1, "Freigabe")).Accepted();

        var signedOff = Assert.IsType<DocumentSignedOff>(Assert.Single(events));
        Assert.Equal((CaseId, DocId, 1, Sha(1), "Freigabe", Clerk, Now), (signedOff.CaseId, signedOff.DocumentId, signedOff.Version, signedOff.Sha256, signedOff.Comment, signedOff.SignedOffBy, signedOff.SignedOffAt));
        Assert.Equal(["u-meier", "u-schulz"], signedOff.CoSigners);
        Assert.Contains($"sha256: {Sha(1)}", signedOff.Statement, StringComparison.Ordinal);
        Assert.Null(signedOff.ServerSignature);
    }

    [Fact]
    public void A_final_sign_off_without_co_sign_requests_is_possible() =>
        Assert.IsType<DocumentSignedOff>(Assert.Single(Given(Opened, Added).When(new SignatureCommand.SignOff(DocId, 1, null)).Accepted()));

    [Fact]
    public void A_signed_off_version_is_frozen()
    {
        var signedOff = Given(Opened, Added).When(new SignatureCommand.SignOff(DocId, 1, null)).Accepted()[0];

        Given(Opened, Added, signedOff).When(new SignatureCommand.SignOff(DocId, 1, null)).ThenRejected(SignatureRejections.SignedOff);
        Given(Opened, Added, signedOff).When(new SignatureCommand.RequestCoSign(DocId, 1, ["u-meier"])).ThenRejected(SignatureRejections.SignedOff);
        Assert.True(Fold(Opened, Added, signedOff)!.Documents[DocId].SignOff!.SignedOff);
    }

    // ---- a new version voids the sign-off ----

    [Fact]
    public void A_new_version_voids_the_sign_off_and_needs_a_new_one()
    {
        var signedOff = Given(Opened, Added, Requested, MeierSigned, SchulzSigned).When(new SignatureCommand.SignOff(DocId, 1, null)).Accepted()[0];
        var state = Fold(Opened, Added, Requested, MeierSigned, SchulzSigned, signedOff, Version2)!;

        var round = SignOffRound.Current(state.Documents[DocId]);
        Assert.Equal(2, round.Version);
        Assert.False(round.SignedOff);
        // The clerks asked for version 1 must co-sign version 2 again: a new version is no way around co-signing.
        Assert.Equal(["u-meier", "u-schulz"], round.Pending);
        Given(Opened, Added, Requested, MeierSigned, SchulzSigned, signedOff, Version2)
            .When(new SignatureCommand.SignOff(DocId, 2, null)).ThenRejected(SignatureRejections.CoSignPending);
    }

    [Fact]
    public void Co_signatures_given_for_an_older_version_do_not_count()
    {
        Given(Opened, Added, Requested, MeierSigned, Version2).When(new SignatureCommand.CoSign(DocId, 1, null), AsSchulz)
            .ThenRejected(SignatureRejections.VersionChanged);
        Given(Opened, Added, Requested, MeierSigned, Version2).When(new SignatureCommand.SignOff(DocId, 1, null))
            .ThenRejected(SignatureRejections.VersionChanged);
        ThenExactly(Given(Opened, Added, Requested, MeierSigned, Version2).When(new SignatureCommand.CoSign(DocId, 2, null), AsMeier),
            new CoSigned(CaseId, DocId, 2, null, Meier, Now));
    }

    [Fact]
    public void The_sign_off_of_the_new_version_follows_its_own_co_signatures()
    {
        var history = new object[]
        {
            Opened, Added, Requested, MeierSigned, SchulzSigned, Version2,
            new CoSigned(CaseId, DocId, 2, null, Meier, Now), new CoSigned(CaseId, DocId, 2, null, Schulz, Now),
        };

        var signedOff = Assert.IsType<DocumentSignedOff>(Assert.Single(Given(history).When(new SignatureCommand.SignOff(DocId, 2, null)).Accepted()));
        Assert.Equal((2, Sha(2)), (signedOff.Version, signedOff.Sha256));
    }

    [Fact]
    public void Nothing_is_signed_in_a_closed_case() =>
        Given(Opened, Added, new CaseClosed(CaseId, FileId, Clerk, Now)).When(new SignatureCommand.SignOff(DocId, 1, null)).ThenRejected(CaseRejections.CaseClosed);

    // ---- verification results ----

    private static SignatureCheck Check(SignatureOutcome outcome, string? reason) =>
        new(SignatureFormat.Pades, outcome, reason, null, "CN=Erika Mustermann", "CN=Test CA", "01", "AB", Now, SigningTimeSource.SignedAttribute,
            "SHA256", "RSA", true, true, [], [], outcome == SignatureOutcome.Passed ? SignatureLevel.AdES : SignatureLevel.None);

    [Fact]
    public void Every_signature_found_is_recorded_valid_or_not()
    {
        var ok = Check(SignatureOutcome.Passed, null);
        var bad = Check(SignatureOutcome.Failed, "HASH_FAILURE");

        ThenExactly(Given(Opened, Added).When(new SignatureCommand.RecordVerification(DocId, 1, null, [(Id(1), ok), (Id(2), bad)])),
            new SignatureVerified(CaseId, DocId, 1, Id(1), 1, null, ok, Clerk, Now),
            new SignatureVerified(CaseId, DocId, 1, Id(2), 2, null, bad, Clerk, Now));
    }

    [Fact]
    public void A_version_without_signatures_has_nothing_to_record() =>
        Given(Opened, Added).When(new SignatureCommand.RecordVerification(DocId, 1, null, [])).ThenRejected(SignatureRejections.NoSignature);

    [Fact]
    public void Verifying_an_unknown_version_is_rejected() =>
        Given(Opened, Added).When(new SignatureCommand.RecordVerification(DocId, 3, null, [(Id(1), Check(SignatureOutcome.Passed, null))]))
            .ThenRejected(SignatureRejections.VersionUnknown);
}
