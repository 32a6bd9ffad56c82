namespace ECase.Ocr.Tests;

public sealed class CerTests
{
    [Theory]
    [InlineData("Hansestadt Rostock", "Hansestadt Rostock", 0.0)]
    [InlineData("Hansestadt\n\n  Rostock ", " Hansestadt Rostock", 0.0)]
    [InlineData("Hansestadt Rostok", "Hansestadt Rostock", 1.0 / 18)]
    [InlineData("", "abcd", 1.0)]
    [InlineData("„Vorwort“ – Glossar", "„Vorwort“ - Glossar", 1.0 / 19)]
    public void Cer_counts_character_edits_ignoring_whitespace(string recognized, string truth, double expected) =>
        Assert.Equal(expected, Cer.Of(recognized, truth), 6);

    [Fact]
    public void Cer_compares_in_NFC() => Assert.Equal(0.0, Cer.Of("Erla\u0308uterung", "Erl\u00e4uterung"));
}
