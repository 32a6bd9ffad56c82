using ECase.Domain.Files;

namespace ECase.Domain.Tests;

public sealed class FileReferenceTests
{
    [Fact]
    public void A_reference_reads_org_unit_plan_code_four_digit_number_and_year()
    {
        Assert.Equal("HA-32.10.05-0007/2026", new FileReference("HA", "32.10.05", 7, 2026).ToString());
    }

    [Theory]
    [InlineData(0, "HA-1-0000/2026")]
    [InlineData(42, "HA-1-0042/2026")]
    [InlineData(9999, "HA-1-9999/2026")]
    [InlineData(12345, "HA-1-12345/2026")]
    public void The_running_number_has_at_least_four_digits(int number, string expected)
    {
        Assert.Equal(expected, new FileReference("HA", "1", number, 2026).ToString());
    }

    [Fact]
    public void Parsing_a_reference_yields_its_parts()
    {
        Assert.True(FileReference.TryParse("HA-32.10.05-0007/2026", out var reference));
        Assert.Equal(new FileReference("HA", "32.10.05", 7, 2026), reference);
    }

    [Theory]
    [InlineData("HA-32.10.05-0007/2026")]
    [InlineData("A-1-0000/1999")]
    [InlineData("ABCDEFGHIJ-1.2.3.4.5.6-123456/2026")]
    [InlineData("42-9999.9999-9999/9999")]
    public void Parsing_and_formatting_round_trip(string text)
    {
        Assert.True(FileReference.TryParse(text, out var reference));
        Assert.Equal(text, reference!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("ha-32.10.05-0007/2026")]
    [InlineData("HA-32.10.05-007/2026")]
    [InlineData("HA-32.10.05-0007/26")]
    [InlineData("HA-32.10.05-0007/20266")]
    [InlineData("HA-32.10.05-0007-2026")]
    [InlineData("HA32.10.05-0007/2026")]
    [InlineData("-32.10.05-0007/2026")]
    [InlineData("ABCDEFGHIJK-32.10.05-0007/2026")]
    [InlineData("H_A-32.10.05-0007/2026")]
    [InlineData("HA--0007/2026")]
    [InlineData("HA-32.-0007/2026")]
    [InlineData("HA-32..10-0007/2026")]
    [InlineData("HA-12345-0007/2026")]
    [InlineData("HA-1.2.3.4.5.6.7-0007/2026")]
    [InlineData(" HA-32.10.05-0007/2026")]
    [InlineData("HA-32.10.05-0007/2026 ")]
    [InlineData("HA-32.10.05-0007/2026/1")]
    [InlineData("HA-32.10.05--007/2026")]
    public void Malformed_references_do_not_parse(string text)
    {
        Assert.False(FileReference.TryParse(text, out var reference));
        Assert.Null(reference);
    }

    [Fact]
    public void Null_does_not_parse()
    {
        Assert.False(FileReference.TryParse(null, out var reference));
        Assert.Null(reference);
    }

    [Fact]
    public void A_reference_with_a_trailing_newline_does_not_parse()
    {
        Assert.False(FileReference.TryParse("HA-32.10.05-0007/2026\n", out _));
    }

    [Fact]
    public void A_reference_with_an_oversized_running_number_does_not_parse_and_does_not_throw()
    {
        Assert.False(FileReference.TryParse("HA-32.10.05-99999999999/2026", out _));
    }

    [Fact]
    public void A_reference_with_non_ascii_digits_does_not_parse_and_does_not_throw()
    {
        Assert.False(FileReference.TryParse("HA-32.10.05-\u0660\u0660\u0660\u0667/2026", out _));
        Assert.False(FileReference.TryParse("HA-\u0663\u0662-0007/2026", out _));
    }

    [Fact]
    public void The_series_key_combines_org_unit_plan_code_and_year()
    {
        Assert.Equal("HA|32.10.05|2026", FileReference.SeriesKey("HA", "32.10.05", 2026));
        Assert.NotEqual(FileReference.SeriesKey("HA", "32.10.05", 2026), FileReference.SeriesKey("HA", "32.10.05", 2027));
    }
}
