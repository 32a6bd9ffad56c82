using ECase.Domain.FilePlans;
using static ECase.Domain.Tests.Fixtures;

namespace ECase.Domain.Tests;

public sealed class FilePlanDeciderTests() : DeciderSpec<FilePlanUnit, FilePlanCommand>(FilePlanUnit.Evolve, FilePlanDecider.Decide)
{
    private static readonly Guid UnitId = Id(1);

    private static readonly FilePlanUnitCreated Created =
        new(UnitId, "32.10.05", "Bauanträge", 10, DisposalProposal.Appraise, Clerk, Now);

    private static FilePlanCommand.CreateUnit Create(
        string code = "32.10.05", string title = "Bauanträge", int retention = 10, bool codeTaken = false) =>
        new(UnitId, code, title, retention, DisposalProposal.Appraise, codeTaken);

    [Fact]
    public void Creating_a_plan_unit_records_it_with_trimmed_title()
    {
        GivenNothing()
            .When(Create(title: "  Bauanträge   "))
            .Then(Created);
    }

    [Fact]
    public void A_created_plan_unit_becomes_the_state()
    {
        var state = Fold(Created);

        Assert.Equal(new FilePlanUnit(UnitId, "32.10.05", "Bauanträge", 10, DisposalProposal.Appraise), state);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("32")]
    [InlineData("0032")]
    [InlineData("32.10.05")]
    [InlineData("1.2.3.4.5.6")]
    [InlineData("9999.9999.9999.9999.9999.9999")]
    public void Well_formed_codes_are_accepted(string code)
    {
        var events = GivenNothing().When(Create(code: code)).Accepted();

        Assert.Equal(code, Assert.IsType<FilePlanUnitCreated>(Assert.Single(events)).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("32.")]
    [InlineData(".32")]
    [InlineData("32..10")]
    [InlineData("12345")]
    [InlineData("32.10.12345")]
    [InlineData("1.2.3.4.5.6.7")]
    [InlineData("32-10")]
    [InlineData("32 10")]
    [InlineData(" 32.10")]
    [InlineData("32.10 ")]
    [InlineData("A.10")]
    [InlineData("32.1a")]
    [InlineData("-1")]
    public void Malformed_codes_are_rejected(string code)
    {
        GivenNothing().When(Create(code: code)).ThenRejected(FilePlanRejections.InvalidCode);
    }

    [Fact]
    public void A_missing_code_is_rejected()
    {
        GivenNothing().When(Create(code: null!)).ThenRejected(FilePlanRejections.InvalidCode);
    }

    [Fact]
    public void A_code_with_a_trailing_newline_is_rejected()
    {
        GivenNothing().When(Create(code: "32.10.05\n")).ThenRejected(FilePlanRejections.InvalidCode);
    }

    [Fact]
    public void A_code_with_non_ascii_digits_is_rejected()
    {
        GivenNothing().When(Create(code: "\u0663\u0662.\u0661\u0660")).ThenRejected(FilePlanRejections.InvalidCode);
        GivenNothing().When(Create(code: "\uFF13\uFF12")).ThenRejected(FilePlanRejections.InvalidCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void A_plan_unit_without_title_is_rejected(string? title)
    {
        GivenNothing().When(Create(title: title!)).ThenRejected("title-required");
    }

    [Fact]
    public void A_plan_unit_title_over_500_characters_is_rejected()
    {
        GivenNothing().When(Create(title: new string('x', 501))).ThenRejected("title-too-long");
    }

    [Fact]
    public void A_plan_unit_title_of_exactly_500_characters_is_accepted()
    {
        GivenNothing().When(Create(title: new string('x', 500))).Accepted();
    }

    [Fact]
    public void A_plan_unit_title_with_control_characters_is_rejected()
    {
        GivenNothing().When(Create(title: "Bau\u0007anträge")).ThenRejected("title-invalid");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(200)]
    public void Retention_from_0_to_200_years_is_accepted(int years)
    {
        GivenNothing()
            .When(Create(retention: years))
            .Then(Created with { RetentionYears = years });
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(201)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void Retention_outside_0_to_200_years_is_rejected(int years)
    {
        GivenNothing().When(Create(retention: years)).ThenRejected(FilePlanRejections.InvalidRetention);
    }

    [Fact]
    public void A_code_that_is_already_taken_is_rejected()
    {
        GivenNothing().When(Create(codeTaken: true)).ThenRejected(FilePlanRejections.CodeTaken);
    }

    [Fact]
    public void Creating_a_plan_unit_that_exists_is_rejected()
    {
        Given(Created).When(Create()).ThenRejected(FilePlanRejections.AlreadyExists);
    }

    [Fact]
    public void Changing_retention_of_an_unknown_plan_unit_is_rejected()
    {
        GivenNothing()
            .When(new FilePlanCommand.ChangeRetention(30, DisposalProposal.Archive))
            .ThenRejected(FilePlanRejections.Unknown);
    }

    [Fact]
    public void Changing_retention_records_new_years_and_disposal_and_updates_the_unit()
    {
        var state = Given(Created)
            .When(new FilePlanCommand.ChangeRetention(30, DisposalProposal.Archive), LaterCtx)
            .Then(new FilePlanUnitRetentionChanged(UnitId, 30, DisposalProposal.Archive, Registrar, Later));

        Assert.Equal(new FilePlanUnit(UnitId, "32.10.05", "Bauanträge", 30, DisposalProposal.Archive), state);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(201)]
    public void Changing_retention_to_outside_0_to_200_years_is_rejected(int years)
    {
        Given(Created)
            .When(new FilePlanCommand.ChangeRetention(years, DisposalProposal.Destroy))
            .ThenRejected(FilePlanRejections.InvalidRetention);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(200)]
    public void Changing_retention_to_the_bounds_is_accepted(int years)
    {
        Given(Created)
            .When(new FilePlanCommand.ChangeRetention(years, DisposalProposal.Destroy))
            .Then(new FilePlanUnitRetentionChanged(UnitId, years, DisposalProposal.Destroy, Clerk, Now));
    }

    [Fact]
    public void Code_format_is_checked_before_title_retention_and_code_taken()
    {
        GivenNothing()
            .When(Create(code: "x", title: "", retention: -1, codeTaken: true))
            .ThenRejected(FilePlanRejections.InvalidCode);
    }

    [Fact]
    public void An_invalid_unit_is_reported_as_invalid_rather_than_as_taken()
    {
        GivenNothing()
            .When(Create(retention: 500, codeTaken: true))
            .ThenRejected(FilePlanRejections.InvalidRetention);
    }
}
