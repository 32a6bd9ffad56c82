using ECase.Projections.Search;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Compound;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.De;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;

namespace ECase.Search.Tests;

/// <summary>The index analyzer's own compound splitter gives exactly the tokens Lucene's dictionary splitter gave.</summary>
public sealed class CompoundSplitterTests
{
    [Fact]
    public void Splits_exactly_like_the_dictionary_compound_word_filter()
    {
        var parts = GermanAnalysis.NormalizedCompoundParts;
        var words = new List<string>
        {
            "Bauantragsverfahren", "Grundstücksgrenze", "Straßenbaubeitragssatzung", "Müllgebührenbescheid", "Kraftfahrzeugsteuer",
            "Staatsangehörigkeitsausweis", "Donaudampfschifffahrtsgesellschaftskapitänsmütze", "Ehe", "Bau", "Antrag",
            "Hund", "Sondernutzungserlaubnis", "Widerspruchsbescheide", "Ausweis", "Parkplatz", "HA-32.10.05-0007/2026",
        };
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var n = random.Next(1, 4);
            words.Add(string.Concat(Enumerable.Range(0, n).Select(_ => parts[random.Next(parts.Count)])) + (random.Next(3) == 0 ? "en" : ""));
            words.Add(new string([.. Enumerable.Range(0, random.Next(3, 24)).Select(_ => "abdeghiklmnorstuäöüß"[random.Next(20)])]));
        }

        var text = string.Join(' ', words);
        using var ours = GermanAnalysis.ForIndex();
        using var lucene = Analyzer.NewAnonymous((_, reader) =>
        {
            var source = new StandardTokenizer(GermanAnalysis.Version, reader);
            TokenStream stream = new StandardFilter(GermanAnalysis.Version, source);
            stream = new LowerCaseFilter(GermanAnalysis.Version, stream);
            stream = new StopFilter(GermanAnalysis.Version, stream, GermanAnalyzer.DefaultStopSet);
            stream = new GermanNormalizationFilter(stream);
            stream = new DictionaryCompoundWordTokenFilter(
                GermanAnalysis.Version, stream, new CharArraySet(GermanAnalysis.Version, parts, ignoreCase: false),
                GermanAnalysis.MinCompoundWord, GermanAnalysis.MinCompoundPart, GermanAnalysis.MaxCompoundPart, onlyLongestMatch: true);
            stream = new GermanLightStemFilter(stream);
            return new TokenStreamComponents(source, stream);
        });

        var expected = Tokens(lucene, text);
        Assert.True(expected.Count > words.Count, "the compounds are split");
        Assert.Equal(expected, Tokens(ours, text));
    }

    private static List<string> Tokens(Analyzer analyzer, string text)
    {
        var tokens = new List<string>();
        using var stream = analyzer.GetTokenStream(SearchFields.Text, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var position = stream.AddAttribute<IPositionIncrementAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        var type = stream.AddAttribute<ITypeAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) tokens.Add($"{term} +{position.PositionIncrement} {offset.StartOffset}-{offset.EndOffset} {type.Type}");
        stream.End();
        return tokens;
    }
}
