using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Compound;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.De;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace ECase.Projections.Search;

/// <summary>
/// German text analysis for the index (ADR 0012). Both sides lower-case and fold umlauts and ß
/// (<c>Straße</c> = <c>Strasse</c>, <c>Müller</c> = <c>Mueller</c>) and stem lightly (<c>Bauanträge</c> → <c>bauantrag</c>).
/// The index side also splits compounds into known parts (<c>Bauantrag</c> is indexed as <c>bauantrag</c>, <c>bau</c>,
/// <c>antrag</c> at one position), so <c>Antrag</c> finds <c>Bauantrag</c>; the query side does not split, so
/// <c>Bauantrag</c> does not find every document that merely mentions <c>Bau</c>.
/// </summary>
public static class GermanAnalysis
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Page texts are one multi-valued field; a phrase never spans two pages.</summary>
    public const int PageGap = 1000;

    private static readonly CharArraySet Stopwords = GermanAnalyzer.DefaultStopSet;

    private static readonly CharArraySet CompoundParts = new(Version, CompoundDictionary.Parts.Select(Normalize), ignoreCase: false);

    /// <summary>Analyzer per field for writing documents.</summary>
    public static Analyzer ForIndex() => PerField(Text(decompound: true));

    /// <summary>Analyzer per field for parsing queries and highlighting.</summary>
    public static Analyzer ForQuery() => PerField(Text(decompound: false));

    /// <summary>Lower-case and fold a prefix or wildcard term the way the analyzers fold tokens (no stemming).</summary>
    public static string Normalize(string term)
    {
        using var analyzer = Analyzer.NewAnonymous((_, reader) =>
        {
            var source = new KeywordTokenizer(reader);
            return new TokenStreamComponents(source, new GermanNormalizationFilter(new LowerCaseFilter(Version, source)));
        });
        using var stream = analyzer.GetTokenStream("", term);
        var chars = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        var result = stream.IncrementToken() ? chars.ToString() : term.ToLowerInvariant();
        stream.End();
        return result;
    }

    private static PerFieldAnalyzerWrapper PerField(Analyzer text) => new(text, new Dictionary<string, Analyzer>
    {
        [SearchFields.Reference] = Analyzer.NewAnonymous((_, reader) =>
        {
            var source = new KeywordTokenizer(reader);
            return new TokenStreamComponents(source, new LowerCaseFilter(Version, source));
        }),
    });

    private static Analyzer Text(bool decompound) => new GermanTextAnalyzer(decompound);

    private sealed class GermanTextAnalyzer(bool decompound) : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var source = new StandardTokenizer(Version, reader);
            TokenStream stream = new StandardFilter(Version, source);
            stream = new LowerCaseFilter(Version, stream);
            stream = new StopFilter(Version, stream, Stopwords);
            stream = new GermanNormalizationFilter(stream);
            if (decompound)
            {
                stream = new DictionaryCompoundWordTokenFilter(
                    Version, stream, CompoundParts, minWordSize: 6, minSubwordSize: 3, maxSubwordSize: 15, onlyLongestMatch: true);
            }

            stream = new GermanLightStemFilter(stream);
            return new TokenStreamComponents(source, stream);
        }

        public override int GetPositionIncrementGap(string fieldName) => PageGap;
    }
}
