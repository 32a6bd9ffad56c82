using ECase.Domain.Common;
using ECase.Domain.Inspections;
using static ECase.Domain.Tests.Fixtures;

namespace ECase.Domain.Tests;

/// <summary>Akteneinsicht rules (issue #7): request, decision, redaction, viewing within scope and time.</summary>
public sealed class InspectionDeciderTests() : DeciderSpec<Inspection, InspectionCommand>(Inspection.Evolve, InspectionDecider.Decide)
{
    private static readonly Guid InspectionId = Id(500);
    private static readonly Guid FileId = Id(10);
    private static readonly Guid CaseA = Id(11);
    private static readonly Guid CaseB = Id(12);
    private static readonly Guid DocA = Id(21);
    private static readonly Guid DocB = Id(22);
    private static readonly Actor Citizen = new("citizen-1", "citizen", "");
    private static readonly Actor OtherCitizen = new("citizen-2", "citizen", "");
    private static readonly CommandContext CitizenCtx = new(Citizen, Now);

    // Now is 2026-03-14.
    private static readonly DateOnly Expiry = new(2026, 4, 30);

    private static readonly InspectionRequested Requested = new(
        InspectionId, FileId, "HA-32.10.05-0007/2026", "citizen-1", "Ich bin Nachbar und Beteiligter", LegalBasis.Participant, Citizen, Now);

    private static readonly GrantedVersion DocAv1 = new(CaseA, DocA, 1, new string('a', 64), "application/pdf", "Antrag.pdf", "Antrag", "Bauantrag");

    private static readonly IReadOnlyList<GrantedVersion> CaseADocuments = [DocAv1];

    private static readonly InspectionGranted GrantedCaseA = new(InspectionId, new InspectionScope(false, [CaseA], []), Expiry, false, Clerk, Now)
    {
        Documents = CaseADocuments,
    };

    private static readonly RedactionArea Box = new(1, 72, 600, 200, 20);

    [Fact]
    public void A_citizen_requests_with_a_reason_for_an_existing_file()
    {
        GivenNothing()
            .When(new InspectionCommand.Request(InspectionId, FileId, "HA-32.10.05-0007/2026", "  Ich bin Nachbar und Beteiligter ", LegalBasis.Participant), CitizenCtx)
            .Then(Requested);
        GivenNothing().When(new InspectionCommand.Request(InspectionId, null, "XX-1-0001/2026", "Grund", LegalBasis.Participant), CitizenCtx)
            .ThenRejected(InspectionRejections.FileUnknown);
        GivenNothing().When(new InspectionCommand.Request(InspectionId, FileId, "r", " ", LegalBasis.FreedomOfInformation), CitizenCtx)
            .ThenRejected(InspectionRejections.ReasonRequired);
    }

    [Fact]
    public void A_grant_needs_a_scope_and_an_expiry_not_in_the_past()
    {
        Given(Requested).When(new InspectionCommand.Grant(InspectionScope.Nothing, Expiry, false)).ThenRejected(InspectionRejections.ScopeEmpty);
        Given(Requested).When(new InspectionCommand.Grant(new(true, [], []), new DateOnly(2026, 3, 13), false)).ThenRejected(InspectionRejections.ExpiryInPast);
        var state = Given(Requested).When(new InspectionCommand.Grant(new(false, [CaseA], []), Expiry, false) { Documents = CaseADocuments }).Then(GrantedCaseA)!;
        Assert.True(state.IsOpenOn(new DateOnly(2026, 4, 30)));
        Assert.False(state.IsOpenOn(new DateOnly(2026, 5, 1)));
    }

    [Fact]
    public void Partial_grants_and_refusals_need_a_justification()
    {
        Given(Requested).When(new InspectionCommand.GrantInPart(new(false, [CaseA], []), Expiry, false, RefusalReason.ThirdPartyRights, " "))
            .ThenRejected(InspectionRejections.JustificationRequired);
        Given(Requested).When(new InspectionCommand.Refuse(RefusalReason.NotParticipant, "")).ThenRejected(InspectionRejections.JustificationRequired);
        Given(Requested).When(new InspectionCommand.Refuse(RefusalReason.NotParticipant, "Kein Beteiligter nach §13 VwVfG"))
            .Then(new InspectionRefused(InspectionId, RefusalReason.NotParticipant, "Kein Beteiligter nach §13 VwVfG", Clerk, Now));
    }

    [Fact]
    public void A_refused_request_cannot_be_granted_later_but_an_open_grant_can_be_changed()
    {
        var refused = new InspectionRefused(InspectionId, RefusalReason.Other, "nein", Clerk, Now);
        Given(Requested, refused).When(new InspectionCommand.Grant(new(true, [], []), Expiry, true)).ThenRejected(InspectionRejections.NotPending);
        var state = Given(Requested, GrantedCaseA).When(new InspectionCommand.Grant(new(false, [CaseA, CaseB], []), Expiry, true)).Accepted()
            .Aggregate(Fold(Requested, GrantedCaseA), Inspection.Evolve)!;
        Assert.True(state.Scope.Covers(CaseB, DocB));
        Assert.True(state.DownloadAllowed);
    }

    [Fact]
    public void The_citizen_views_pages_of_granted_documents_only()
    {
        Given(Requested, GrantedCaseA).When(new InspectionCommand.View(CaseA, DocA, 1, 2), CitizenCtx)
            .Then(new InspectionDocumentViewed(InspectionId, DocA, 1, 2, false, Citizen, Now));
        Given(Requested, GrantedCaseA).When(new InspectionCommand.View(CaseB, DocB, 1, 1), CitizenCtx).ThenRejected(InspectionRejections.OutOfScope);
        Given(Requested, GrantedCaseA).When(new InspectionCommand.View(CaseA, DocA, 1, 0), CitizenCtx).ThenRejected(InspectionRejections.DownloadNotAllowed);
    }

    [Fact]
    public void A_grant_pins_the_versions_it_shows_and_names_only_documents_of_its_scope()
    {
        // Version 2 of the same document was added after the grant: in scope, but not granted.
        Given(Requested, GrantedCaseA).When(new InspectionCommand.View(CaseA, DocA, 2, 1), CitizenCtx).ThenRejected(InspectionRejections.OutOfScope);
        var docB = new GrantedVersion(CaseB, DocB, 1, new string('b', 64), "application/pdf", "B.pdf", "B", "Stellungnahmen");
        Given(Requested).When(new InspectionCommand.Grant(new(false, [CaseA], []), Expiry, false) { Documents = [DocAv1, docB] })
            .ThenRejected(InspectionRejections.DocumentsOutsideScope);
        var state = Given(Requested).When(new InspectionCommand.Grant(new(false, [CaseA], [DocB]), Expiry, false) { Documents = [DocAv1, docB] }).Accepted()
            .Aggregate(Fold(Requested), Inspection.Evolve)!;
        Assert.True(state.Shows(DocB, 1));
        Assert.Empty(Fold(Requested, GrantedCaseA, new InspectionRefused(InspectionId, RefusalReason.Other, "nein", Clerk, Now))!.Documents);
    }

    [Fact]
    public void A_redaction_can_be_taken_back_while_the_inspection_is_open()
    {
        var id = Id(700);
        var applied = new RedactionApplied(InspectionId, id, DocA, 1, Box, false, RedactionReason.Other, Clerk, Now);
        Given(Requested, applied).When(new InspectionCommand.RemoveRedaction(id)).Then(new RedactionRemoved(InspectionId, id, Clerk, Now));
        Assert.Empty(Fold(Requested, applied, new RedactionRemoved(InspectionId, id, Clerk, Now))!.Redactions);
        Given(Requested, applied).When(new InspectionCommand.RemoveRedaction(Id(701))).ThenRejected(InspectionRejections.RedactionUnknown);
        Given(Requested, applied, new InspectionWithdrawn(InspectionId, null, Citizen, Now)).When(new InspectionCommand.RemoveRedaction(id))
            .ThenRejected(InspectionRejections.Closed);
    }

    [Fact]
    public void Another_citizen_is_told_there_is_no_such_inspection()
    {
        Given(Requested, GrantedCaseA).When(new InspectionCommand.View(CaseA, DocA, 1, 1), new CommandContext(OtherCitizen, Now))
            .ThenRejected(InspectionRejections.Unknown);
    }

    [Fact]
    public void Nothing_is_visible_before_the_decision_after_expiry_or_after_withdrawal()
    {
        Given(Requested).When(new InspectionCommand.View(CaseA, DocA, 1, 1), CitizenCtx).ThenRejected(InspectionRejections.NotOpen);
        Given(Requested, GrantedCaseA).When(new InspectionCommand.View(CaseA, DocA, 1, 1), new CommandContext(Citizen, new DateTimeOffset(2026, 5, 1, 8, 0, 0, TimeSpan.Zero)))
            .ThenRejected(InspectionRejections.NotOpen);
        Given(Requested, GrantedCaseA, new InspectionWithdrawn(InspectionId, null, Citizen, Now)).When(new InspectionCommand.View(CaseA, DocA, 1, 1), CitizenCtx)
            .ThenRejected(InspectionRejections.NotOpen);
    }

    [Fact]
    public void An_inspection_expires_only_after_its_expiry_date()
    {
        var later = new CommandContext(Registrar, new DateTimeOffset(2026, 5, 1, 0, 5, 0, TimeSpan.Zero));
        Given(Requested, GrantedCaseA).When(new InspectionCommand.Expire(), new CommandContext(Registrar, new DateTimeOffset(2026, 4, 30, 23, 0, 0, TimeSpan.Zero)))
            .ThenRejected(InspectionRejections.NotExpired);
        Given(Requested, GrantedCaseA).When(new InspectionCommand.Expire(), later).Then(new InspectionExpired(InspectionId, Expiry, Registrar, later.Now));
        Given(Requested).When(new InspectionCommand.Expire(), later).ThenRejected(InspectionRejections.Closed);
    }

    [Fact]
    public void Redactions_name_a_page_and_a_rectangle_inside_the_granted_scope()
    {
        var id = Id(600);
        Given(Requested, GrantedCaseA)
            .When(new InspectionCommand.Redact(id, CaseA, DocA, 1, Box, false, RedactionReason.ThirdPartyPersonalData))
            .Then(new RedactionApplied(InspectionId, id, DocA, 1, Box, false, RedactionReason.ThirdPartyPersonalData, Clerk, Now));
        Given(Requested, GrantedCaseA).When(new InspectionCommand.Redact(id, CaseB, DocB, 1, Box, false, RedactionReason.Draft))
            .ThenRejected(InspectionRejections.OutOfScope);
        foreach (var bad in new[] { Box with { Page = 0 }, Box with { Width = 0 }, Box with { X = -1 }, Box with { Y = 14_399 }, Box with { Height = double.NaN } })
            Given(Requested, GrantedCaseA).When(new InspectionCommand.Redact(id, CaseA, DocA, 1, bad, false, RedactionReason.Other)).ThenRejected(InspectionRejections.AreaInvalid);
    }

    [Fact]
    public void A_withdrawn_request_takes_no_more_decisions()
    {
        var withdrawn = new InspectionWithdrawn(InspectionId, "erledigt", Citizen, Now);
        Given(Requested, withdrawn).When(new InspectionCommand.Grant(new(true, [], []), Expiry, false)).ThenRejected(InspectionRejections.NotPending);
        Given(Requested, withdrawn).When(new InspectionCommand.Withdraw(null), CitizenCtx).ThenRejected(InspectionRejections.Closed);
    }

    [Fact]
    public void Destroying_the_file_closes_an_open_request_and_nothing_of_it_is_shown_after()
    {
        var close = new InspectionCommand.Close(InspectionCloseReason.FileDestroyed);
        var closed = new InspectionClosed(InspectionId, InspectionCloseReason.FileDestroyed, Clerk, Now);
        Given(Requested).When(close).Then(closed);
        Given(Requested, GrantedCaseA).When(close).Then(closed);

        Given(Requested, GrantedCaseA, closed).When(new InspectionCommand.View(CaseA, DocA, 1, 1), CitizenCtx).ThenRejected(InspectionRejections.NotOpen);
        Given(Requested, GrantedCaseA, closed).When(new InspectionCommand.Redact(Id(900), CaseA, DocA, 1, Box, false, RedactionReason.Other)).ThenRejected(InspectionRejections.Closed);
        Given(Requested, closed).When(new InspectionCommand.Grant(new(true, [], []), Expiry, false)).ThenRejected(InspectionRejections.NotPending);
        Given(Requested, closed).When(new InspectionCommand.Withdraw(null), CitizenCtx).ThenRejected(InspectionRejections.Closed);
        Given(Requested, closed).When(close).ThenRejected(InspectionRejections.Closed);
        Given(Requested, new InspectionRefused(InspectionId, RefusalReason.Other, "nein", Clerk, Now)).When(close).ThenRejected(InspectionRejections.Closed);
    }

    [Fact]
    public void A_closed_request_shows_no_documents()
    {
        var state = new object[] { Requested, GrantedCaseA, new InspectionClosed(InspectionId, InspectionCloseReason.FileDestroyed, Clerk, Now) }
            .Aggregate((Inspection?)null, Inspection.Evolve)!;
        Assert.Equal(InspectionStatus.Closed, state.Status);
        Assert.Empty(state.Documents);
        Assert.False(state.Shows(DocA, 1));
        Assert.True(state.IsFinished);
    }
}
