using ECase.Domain.Common;
using ECase.Domain.FilePlans;
using ECase.Domain.Files;
using static ECase.Domain.Tests.Fixtures;
using FileState = ECase.Domain.Files.File;

namespace ECase.Domain.Tests;

/// <summary>Retention fixed at closing, file overrides, legal holds and the file's part in a disposal process.</summary>
public sealed class RetentionTests() : DeciderSpec<FileState, FileCommand>(FileState.Evolve, FileDecider.Decide)
{
    private static readonly Guid FileId = Id(10);
    private static readonly Guid ProcessId = Id(900);
    private static readonly Guid HoldId = Id(700);
    private static readonly PlanRetention TenYearsArchive = new(10, DisposalProposal.Archive);

    // Now is 2026-03-14.
    private static readonly FileOpened Opened = new(
        FileId, "HA-32.10.05-0007/2026", "Neubau Kita", Id(1), "32.10.05", "HA", Confidentiality.Restricted, Clerk, Now);

    private static readonly FileClosed ClosedTenYears = new(FileId, Clerk, Now, 10, new DateOnly(2036, 12, 31), DisposalProposal.Archive);

    private static CommandContext At(int year, int month, int day) => new(Registrar, new DateTimeOffset(year, month, day, 9, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("2026-03-05", 10, "2036-12-31")]
    [InlineData("2026-12-31", 10, "2036-12-31")]
    [InlineData("2026-01-01", 0, "2026-12-31")]
    [InlineData("2024-02-29", 30, "2054-12-31")]
    public void Retention_ends_at_the_end_of_the_year_the_count_reaches(string closed, int years, string end)
    {
        Assert.Equal(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture),
            RetentionRules.EndOf(DateOnly.Parse(closed, System.Globalization.CultureInfo.InvariantCulture), years));
    }

    [Fact]
    public void Retention_has_ended_only_after_the_end_date()
    {
        var end = new DateOnly(2036, 12, 31);
        Assert.False(RetentionRules.HasEnded(end, end));
        Assert.True(RetentionRules.HasEnded(end, end.AddDays(1)));
        Assert.False(RetentionRules.HasEnded(null, DateOnly.MaxValue));
    }

    [Fact]
    public void Closing_fixes_the_retention_end_from_the_plan_units_years_as_valid_at_closing()
    {
        var state = Given(Opened).When(new FileCommand.Close(TenYearsArchive)).Then(ClosedTenYears)!;
        Assert.Equal(new DateOnly(2036, 12, 31), state.RetentionEndsOn);
    }

    [Fact]
    public void A_files_own_years_override_the_plan_units()
    {
        var overridden = new FileRetentionOverridden(FileId, 30, null, "Bauakte", null, Registrar, Now);
        Given(Opened, overridden)
            .When(new FileCommand.Close(TenYearsArchive))
            .Then(new FileClosed(FileId, Clerk, Now, 10, new DateOnly(2056, 12, 31), DisposalProposal.Archive));
    }

    [Fact]
    public void A_fixed_end_date_overrides_the_count()
    {
        var overridden = new FileRetentionOverridden(FileId, null, new DateOnly(2027, 6, 30), "Altakte", null, Registrar, Now);
        var state = Given(Opened, overridden).When(new FileCommand.Close(TenYearsArchive)).Accepted();
        Assert.Equal(new DateOnly(2027, 6, 30), Assert.IsType<FileClosed>(state[0]).RetentionEndsOn);
    }

    [Fact]
    public void Overriding_a_closed_files_retention_recomputes_its_end_from_the_closing_date()
    {
        Given(Opened, ClosedTenYears)
            .When(new FileCommand.OverrideRetention(5, null, "Kürzere Frist laut Erlass", TenYearsArchive), LaterCtx)
            .Then(new FileRetentionOverridden(FileId, 5, null, "Kürzere Frist laut Erlass", new DateOnly(2031, 12, 31), Registrar, Later));
    }

    [Fact]
    public void Clearing_the_override_of_a_closed_file_returns_to_the_years_fixed_at_closing()
    {
        var overridden = new FileRetentionOverridden(FileId, 5, null, "x", new DateOnly(2031, 12, 31), Registrar, Now);
        var state = Given(Opened, ClosedTenYears, overridden)
            .When(new FileCommand.OverrideRetention(null, null, "Erlass aufgehoben", new PlanRetention(3, DisposalProposal.Destroy)), LaterCtx)
            .Then(new FileRetentionOverridden(FileId, null, null, "Erlass aufgehoben", new DateOnly(2036, 12, 31), Registrar, Later))!;
        Assert.Null(state.RetentionOverride);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(201)]
    public void Retention_years_outside_0_to_200_are_rejected(int years)
    {
        Given(Opened).When(new FileCommand.OverrideRetention(years, null, "x", null)).ThenRejected(FileRejections.RetentionInvalid);
    }

    [Fact]
    public void Years_and_an_end_date_together_are_rejected()
    {
        Given(Opened).When(new FileCommand.OverrideRetention(5, new DateOnly(2030, 1, 1), "x", null)).ThenRejected(FileRejections.RetentionInvalid);
    }

    [Fact]
    public void Reopening_clears_the_retention_end()
    {
        var state = Fold(Opened, ClosedTenYears, new FileReopened(FileId, "Nachtrag", Clerk, Later))!;
        Assert.Null(state.RetentionEndsOn);
    }

    [Fact]
    public void A_due_file_without_holds_can_be_offered()
    {
        Given(Opened, ClosedTenYears)
            .When(new FileCommand.OfferToArchive(ProcessId), At(2037, 1, 1))
            .Then(new FileOfferedToArchive(FileId, ProcessId, Registrar, At(2037, 1, 1).Now));
    }

    [Fact]
    public void A_file_whose_retention_has_not_ended_cannot_be_offered()
    {
        Given(Opened, ClosedTenYears).When(new FileCommand.OfferToArchive(ProcessId), At(2036, 12, 31)).ThenRejected(FileRejections.RetentionNotEnded);
    }

    [Fact]
    public void An_open_file_cannot_be_offered()
    {
        Given(Opened).When(new FileCommand.OfferToArchive(ProcessId), At(2090, 1, 1)).ThenRejected(FileRejections.FileNotClosed);
    }

    [Fact]
    public void A_file_on_legal_hold_cannot_be_offered_until_the_hold_is_lifted()
    {
        var placed = new LegalHoldPlaced(FileId, HoldId, "Klage VG Berlin 1 K 23/37", Registrar, Now);
        Given(Opened, ClosedTenYears, placed).When(new FileCommand.OfferToArchive(ProcessId), At(2037, 1, 1)).ThenRejected(FileRejections.OnLegalHold);
        Given(Opened, ClosedTenYears, placed, new LegalHoldLifted(FileId, HoldId, "Verfahren beendet", Registrar, Now))
            .When(new FileCommand.OfferToArchive(ProcessId), At(2037, 1, 1))
            .Accepted();
    }

    [Fact]
    public void Holds_need_a_reason_and_only_known_holds_can_be_lifted()
    {
        Given(Opened).When(new FileCommand.PlaceHold(HoldId, " ")).ThenRejected(FileRejections.ReasonRequired);
        Given(Opened).When(new FileCommand.LiftHold(HoldId, "weil")).ThenRejected(FileRejections.HoldUnknown);
    }

    [Fact]
    public void A_file_in_a_disposal_process_cannot_be_offered_again_or_reopened()
    {
        var offered = new FileOfferedToArchive(FileId, ProcessId, Registrar, Now);
        Given(Opened, ClosedTenYears, offered).When(new FileCommand.OfferToArchive(Id(901)), At(2040, 1, 1)).ThenRejected(FileRejections.InDisposal);
        Given(Opened, ClosedTenYears, offered).When(new FileCommand.Reopen("Nachtrag")).ThenRejected(FileRejections.InDisposal);
    }

    [Fact]
    public void A_released_file_is_due_again()
    {
        var offered = new FileOfferedToArchive(FileId, ProcessId, Registrar, Now);
        var released = new FileReleasedFromDisposal(FileId, ProcessId, "import-failed", "Archiv meldet Fehler", Registrar, Now);
        Given(Opened, ClosedTenYears, offered, released).When(new FileCommand.OfferToArchive(Id(901)), At(2040, 1, 1)).Accepted();
    }

    [Fact]
    public void A_file_on_hold_is_not_destroyed()
    {
        var offered = new FileOfferedToArchive(FileId, ProcessId, Registrar, Now);
        var placed = new LegalHoldPlaced(FileId, HoldId, "Klage", Registrar, Now);
        Given(Opened, ClosedTenYears, offered, placed)
            .When(new FileCommand.Destroy(ProcessId, Disposition.Destroyed, null, 3, 300))
            .ThenRejected(FileRejections.OnLegalHold);
    }

    [Fact]
    public void Only_the_process_holding_the_file_can_destroy_it()
    {
        Given(Opened, ClosedTenYears).When(new FileCommand.Destroy(ProcessId, Disposition.Destroyed, null, 0, 0)).ThenRejected(FileRejections.NotInProcess);
    }

    [Fact]
    public void A_destroyed_file_refuses_every_command()
    {
        var offered = new FileOfferedToArchive(FileId, ProcessId, Registrar, Now);
        var destroyed = new FileDestroyed(FileId, ProcessId, Disposition.Transferred, "StA 12/345", 3, 300, Registrar, Now);
        Given(Opened, ClosedTenYears, offered, destroyed).When(new FileCommand.Reopen("x")).ThenRejected(FileRejections.Destroyed);
        Given(Opened, ClosedTenYears, offered, destroyed).When(new FileCommand.PlaceHold(HoldId, "x")).ThenRejected(FileRejections.Destroyed);
        Given(Opened, ClosedTenYears, offered, destroyed).When(new FileCommand.Destroy(ProcessId, Disposition.Destroyed, null, 0, 0)).ThenRejected(FileRejections.Destroyed);
    }
}
