using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.Files;
using static ECase.Domain.Tests.Fixtures;
using FileState = ECase.Domain.Files.File;

namespace ECase.Domain.Tests;

public sealed class FileDeciderTests() : DeciderSpec<FileState, FileCommand>(FileState.Evolve, FileDecider.Decide)
{
    private static readonly Guid FileId = Id(10);
    private static readonly PlanUnitRef Unit = new(Id(1), "32.10.05");
    private static readonly PlanUnitRef OtherUnit = new(Id(2), "32.20");
    private static readonly FileReference Reference = new("HA", "32.10.05", 7, 2026);
    private static readonly FileReference OtherReference = new("HA", "32.20", 1, 2026);

    private static readonly FileOpened Opened = new(
        FileId, "HA-32.10.05-0007/2026", "Neubau Kita Lindenstraße", Unit.Id, Unit.Code, "HA",
        Confidentiality.Restricted, Clerk, Now);

    private static readonly FileClosed Closed = new(FileId, Clerk, Now);

    private static FileCommand.Open Open(string title = "Neubau Kita Lindenstraße", string orgUnit = "HA", PlanUnitRef? unit = null) =>
        new(FileId, title, unit ?? Unit, orgUnit, Confidentiality.Restricted, Reference);

    private static object CaseOpenedInFile(int caseNo) =>
        CaseDecider.ForFile(new CaseOpened(Id(100 + caseNo), FileId, $"Vorgang {caseNo}", "HA", Clerk, Now));

    private static object CaseClosedInFile(int caseNo) =>
        CaseDecider.ForFile(new CaseClosed(Id(100 + caseNo), FileId, Clerk, Now));

    // ---- open ----

    [Fact]
    public void Opening_a_file_records_reference_trimmed_title_plan_unit_and_org_unit()
    {
        GivenNothing()
            .When(Open(title: "  Neubau Kita Lindenstraße  "))
            .Then(Opened);
    }

    [Fact]
    public void An_opened_file_is_open_with_no_cases()
    {
        var state = Fold(Opened)!;

        Assert.Equal(FileStatus.Open, state.Status);
        Assert.Equal("HA-32.10.05-0007/2026", state.Reference);
        Assert.Equal("Neubau Kita Lindenstraße", state.Title);
        Assert.Equal(Unit.Id, state.PlanUnitId);
        Assert.Equal(Unit.Code, state.PlanUnitCode);
        Assert.Equal("HA", state.OrgUnit);
        Assert.Equal(Confidentiality.Restricted, state.Confidentiality);
        Assert.Empty(state.OpenCases);
        Assert.Empty(state.Cases);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t ")]
    [InlineData(null)]
    public void Opening_a_file_without_title_is_rejected(string? title)
    {
        GivenNothing().When(Open(title: title!)).ThenRejected("title-required");
    }

    [Fact]
    public void Opening_a_file_with_a_title_over_500_characters_is_rejected()
    {
        GivenNothing().When(Open(title: new string('a', 501))).ThenRejected("title-too-long");
    }

    [Fact]
    public void Opening_a_file_with_a_title_of_500_characters_is_accepted()
    {
        var title = new string('a', 500);
        GivenNothing().When(Open(title: title)).Then(Opened with { Title = title });
    }

    [Theory]
    [InlineData("Akte\nzwei Zeilen")]
    [InlineData("Akte\u0000")]
    [InlineData("\u001bAkte")]
    [InlineData("Akte\u007f")]
    public void Opening_a_file_with_control_characters_in_the_title_is_rejected(string title)
    {
        GivenNothing().When(Open(title: title)).ThenRejected("title-invalid");
    }

    [Theory]
    [InlineData("")]
    [InlineData("ha")]
    [InlineData("H-A")]
    [InlineData("H A")]
    [InlineData("ABCDEFGHIJK")]
    [InlineData("ÄMT")]
    [InlineData(null)]
    public void Opening_a_file_with_an_invalid_org_unit_is_rejected(string? orgUnit)
    {
        GivenNothing().When(Open(orgUnit: orgUnit!)).ThenRejected(FileRejections.InvalidOrgUnit);
    }

    [Theory]
    [InlineData("A")]
    [InlineData("42")]
    [InlineData("ABCDEFGHIJ")]
    [InlineData("Z0Z0Z0")]
    public void Opening_a_file_with_a_valid_org_unit_is_accepted(string orgUnit)
    {
        GivenNothing().When(Open(orgUnit: orgUnit)).Then(Opened with { OrgUnit = orgUnit });
    }

    [Fact]
    public void Opening_a_file_in_an_unknown_plan_unit_is_rejected()
    {
        GivenNothing()
            .When(new FileCommand.Open(FileId, "Akte", null, "HA", Confidentiality.Open, Reference))
            .ThenRejected(FileRejections.UnknownPlanUnit);
    }

    [Fact]
    public void Opening_a_file_that_exists_is_rejected()
    {
        Given(Opened).When(Open()).ThenRejected(FileRejections.AlreadyExists);
    }

    [Fact]
    public void Commands_other_than_open_on_an_unknown_file_are_rejected()
    {
        GivenNothing().When(new FileCommand.Close()).ThenRejected(FileRejections.Unknown);
        GivenNothing().When(new FileCommand.Reopen("Nachtrag")).ThenRejected(FileRejections.Unknown);
        GivenNothing().When(new FileCommand.Reclassify(OtherUnit, Confidentiality.Open, OtherReference))
            .ThenRejected(FileRejections.Unknown);
    }

    // ---- reclassify ----

    [Fact]
    public void Reclassifying_a_closed_file_is_rejected()
    {
        Given(Opened, Closed)
            .When(new FileCommand.Reclassify(OtherUnit, Confidentiality.Restricted, OtherReference))
            .ThenRejected(FileRejections.FileClosed);
    }

    [Fact]
    public void Reclassifying_into_an_unknown_plan_unit_is_rejected()
    {
        Given(Opened)
            .When(new FileCommand.Reclassify(null, Confidentiality.Restricted, OtherReference))
            .ThenRejected(FileRejections.UnknownPlanUnit);
    }

    [Fact]
    public void Reclassifying_to_the_same_plan_unit_and_confidentiality_is_rejected()
    {
        Given(Opened)
            .When(new FileCommand.Reclassify(Unit, Confidentiality.Restricted, null))
            .ThenRejected(FileRejections.SamePlanUnit);
    }

    [Fact]
    public void Changing_only_the_confidentiality_keeps_the_reference()
    {
        var state = Given(Opened)
            .When(new FileCommand.Reclassify(Unit, Confidentiality.Secret, null), LaterCtx)
            .Then(new FileReclassified(
                FileId, Unit.Id, Unit.Code, "HA-32.10.05-0007/2026", "HA-32.10.05-0007/2026",
                Confidentiality.Secret, Registrar, Later))!;

        Assert.Equal("HA-32.10.05-0007/2026", state.Reference);
        Assert.Equal(Confidentiality.Secret, state.Confidentiality);
    }

    [Fact]
    public void Changing_only_the_confidentiality_ignores_a_new_reference_offered_by_the_handler()
    {
        Given(Opened)
            .When(new FileCommand.Reclassify(Unit, Confidentiality.Open, OtherReference))
            .Then(new FileReclassified(
                FileId, Unit.Id, Unit.Code, "HA-32.10.05-0007/2026", "HA-32.10.05-0007/2026",
                Confidentiality.Open, Clerk, Now));
    }

    [Fact]
    public void Moving_to_a_new_plan_unit_takes_the_new_reference_and_records_the_previous_one()
    {
        var state = Given(Opened)
            .When(new FileCommand.Reclassify(OtherUnit, Confidentiality.Restricted, OtherReference), LaterCtx)
            .Then(new FileReclassified(
                FileId, OtherUnit.Id, OtherUnit.Code, "HA-32.20-0001/2026", "HA-32.10.05-0007/2026",
                Confidentiality.Restricted, Registrar, Later))!;

        Assert.Equal(OtherUnit.Id, state.PlanUnitId);
        Assert.Equal(OtherUnit.Code, state.PlanUnitCode);
        Assert.Equal("HA-32.20-0001/2026", state.Reference);
        Assert.Equal(Confidentiality.Restricted, state.Confidentiality);
    }

    [Fact]
    public void Moving_twice_records_the_reference_of_the_intermediate_unit_as_previous()
    {
        var firstMove = new FileReclassified(
            FileId, OtherUnit.Id, OtherUnit.Code, "HA-32.20-0001/2026", "HA-32.10.05-0007/2026",
            Confidentiality.Restricted, Clerk, Now);

        Given(Opened, firstMove)
            .When(new FileCommand.Reclassify(Unit, Confidentiality.Confidential, new FileReference("HA", "32.10.05", 12, 2027)))
            .Then(new FileReclassified(
                FileId, Unit.Id, Unit.Code, "HA-32.10.05-0012/2027", "HA-32.20-0001/2026",
                Confidentiality.Confidential, Clerk, Now));
    }

    [Fact]
    public void Moving_to_a_new_plan_unit_without_a_reserved_reference_is_a_programming_error()
    {
        var file = Fold(Opened);

        Assert.Throws<ArgumentException>(() =>
            FileDecider.Decide(file, new FileCommand.Reclassify(OtherUnit, Confidentiality.Restricted, null), Ctx));
    }

    // ---- close ----

    [Fact]
    public void Closing_an_open_file_without_cases_closes_it()
    {
        var state = Given(Opened)
            .When(new FileCommand.Close(), LaterCtx)
            .Then(new FileClosed(FileId, Registrar, Later))!;

        Assert.Equal(FileStatus.Closed, state.Status);
    }

    [Fact]
    public void Closing_a_file_with_open_cases_is_rejected()
    {
        Given(Opened, CaseOpenedInFile(1))
            .When(new FileCommand.Close())
            .ThenRejected(FileRejections.FileHasOpenCases);
    }

    [Fact]
    public void Closing_a_file_with_one_of_two_cases_still_open_is_rejected()
    {
        Given(Opened, CaseOpenedInFile(1), CaseOpenedInFile(2), CaseClosedInFile(1))
            .When(new FileCommand.Close())
            .ThenRejected(FileRejections.FileHasOpenCases);
    }

    [Fact]
    public void Closing_a_file_after_its_cases_closed_works()
    {
        Given(Opened, CaseOpenedInFile(1), CaseOpenedInFile(2), CaseClosedInFile(2), CaseClosedInFile(1))
            .When(new FileCommand.Close())
            .Then(new FileClosed(FileId, Clerk, Now));
    }

    [Fact]
    public void Closing_a_closed_file_is_rejected()
    {
        Given(Opened, Closed).When(new FileCommand.Close()).ThenRejected(FileRejections.FileClosed);
    }

    [Fact]
    public void Closing_a_reopened_file_works()
    {
        Given(Opened, Closed, new FileReopened(FileId, "Nachtrag", Clerk, Now))
            .When(new FileCommand.Close())
            .Then(new FileClosed(FileId, Clerk, Now));
    }

    // ---- reopen ----

    [Fact]
    public void Reopening_an_open_file_is_rejected()
    {
        Given(Opened).When(new FileCommand.Reopen("Nachtrag")).ThenRejected(FileRejections.FileNotClosed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Reopening_without_a_reason_is_rejected(string? reason)
    {
        Given(Opened, Closed).When(new FileCommand.Reopen(reason!)).ThenRejected(FileRejections.ReasonRequired);
    }

    [Fact]
    public void Reopening_a_closed_file_records_the_trimmed_reason_and_opens_it()
    {
        var state = Given(Opened, Closed)
            .When(new FileCommand.Reopen("  Nachtrag zum Bauantrag "), LaterCtx)
            .Then(new FileReopened(FileId, "Nachtrag zum Bauantrag", Registrar, Later))!;

        Assert.Equal(FileStatus.Open, state.Status);
    }

    [Fact]
    public void A_reopened_file_can_be_reclassified_again()
    {
        Given(Opened, Closed, new FileReopened(FileId, "Nachtrag", Clerk, Now))
            .When(new FileCommand.Reclassify(Unit, Confidentiality.Open, null))
            .Then(new FileReclassified(
                FileId, Unit.Id, Unit.Code, Opened.Reference, Opened.Reference, Confidentiality.Open, Clerk, Now));
    }

    // ---- case tracking ----

    [Fact]
    public void Case_events_become_file_events_carrying_who_and_when()
    {
        var opened = new CaseOpened(Id(101), FileId, "Vorgang", "HA", Clerk, Now);
        var closed = new CaseClosed(Id(101), FileId, Registrar, Later);

        Assert.Equal(new CaseAddedToFile(FileId, Id(101), "Vorgang", Clerk, Now), CaseDecider.ForFile(opened));
        Assert.Equal(new FileCaseClosed(FileId, Id(101), Registrar, Later), CaseDecider.ForFile(closed));
    }

    [Fact]
    public void Case_events_that_do_not_concern_the_file_are_refused_by_ForFile()
    {
        Assert.Throws<ArgumentException>(() =>
            CaseDecider.ForFile(new CaseRenamed(Id(101), "Neu", Clerk, Now)));
    }

    [Fact]
    public void The_file_tracks_open_cases_and_remembers_all_cases()
    {
        var state = Fold(Opened, CaseOpenedInFile(1), CaseOpenedInFile(2), CaseClosedInFile(1))!;

        Assert.Equal([Id(102)], state.OpenCases.OrderBy(g => g));
        Assert.Equal([Id(101), Id(102)], state.Cases.OrderBy(g => g));
    }

    [Fact]
    public void Evolve_ignores_events_before_the_file_is_opened()
    {
        Assert.Null(Fold(Closed, new FileReopened(FileId, "x", Clerk, Now)));
    }
}
