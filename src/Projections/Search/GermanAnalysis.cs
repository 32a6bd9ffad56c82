using Lucene.Net.Analysis;
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

    /// <summary>The compound parts as the analyzers fold words (lower case, umlauts and ß folded).</summary>
    public static readonly IReadOnlyList<string> NormalizedCompoundParts = [.. CompoundDictionary.Parts.Select(Normalize).Distinct(StringComparer.Ordinal)];

    private static readonly CompoundTrie CompoundParts = new(NormalizedCompoundParts);

    public const int MinCompoundWord = 6;
    public const int MinCompoundPart = 3;
    public const int MaxCompoundPart = 15;

    /// <summary>Analyzer per field for writing documents.</summary>
    public static Analyzer ForIndex() => PerField(Text(decompound: true), new GermanTextAnalyzer(decompound: false, pairs: true));

    /// <summary>Analyzer per field for parsing queries and highlighting.</summary>
    public static Analyzer ForQuery() => PerField(Text(decompound: false), null);

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

    private static PerFieldAnalyzerWrapper PerField(Analyzer text, Analyzer? pairs)
    {
        var fields = new Dictionary<string, Analyzer>
        {
            [SearchFields.Reference] = Analyzer.NewAnonymous((_, reader) =>
            {
                var source = new KeywordTokenizer(reader);
                return new TokenStreamComponents(source, new LowerCaseFilter(Version, source));
            }),
        };
        if (pairs is not null) fields[SearchFields.TextPairs] = pairs;
        return new PerFieldAnalyzerWrapper(text, fields);
    }

    private static Analyzer Text(bool decompound) => new GermanTextAnalyzer(decompound, pairs: false);

    /// <summary>The German chain; with <paramref name="pairs"/>, the adjacent word pairs of its words (<see cref="WordPairs"/>).</summary>
    private sealed class GermanTextAnalyzer(bool decompound, bool pairs) : Analyzer
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
                stream = new CompoundPartsFilter(stream, CompoundParts);
            }

            stream = new GermanLightStemFilter(stream);
            if (pairs) stream = new WordPairs.Filter(stream);
            return new TokenStreamComponents(source, stream);
        }

        public override int GetPositionIncrementGap(string fieldName) => PageGap;
    }

    /// <summary>
    /// Adds the dictionary parts of a word as further tokens at its position, exactly as Lucene's
    /// <c>DictionaryCompoundWordTokenFilter</c> with <c>onlyLongestMatch</c> (words of at least 6 characters; at each
    /// character the longest part of 3-15 characters; the whole word's offsets), but finds the parts by walking a trie
    /// from each character instead of hashing every substring (that was a third of the analysis time of a page).
    /// </summary>
    private sealed class CompoundPartsFilter : TokenFilter
    {
        private readonly CompoundTrie _parts;
        private readonly ICharTermAttribute _term;
        private readonly IPositionIncrementAttribute _position;
        private readonly IOffsetAttribute _offset;
        private readonly Queue<(int Start, int Length)> _pending = new();
        private char[] _word = new char[32];
        private int _startOffset;
        private int _endOffset;

        public CompoundPartsFilter(TokenStream input, CompoundTrie parts)
            : base(input)
        {
            _parts = parts;
            _term = AddAttribute<ICharTermAttribute>();
            _position = AddAttribute<IPositionIncrementAttribute>();
            _offset = AddAttribute<IOffsetAttribute>();
        }

        public override bool IncrementToken()
        {
            if (_pending.Count > 0)
            {
                // A part differs from its word only in text and position increment. The word's other attributes
                // (type, flags, ...) are still set: no filter after this one changes them, so unlike Lucene's filter
                // this one does not capture and restore the whole state (an allocation per compound).
                var (start, length) = _pending.Dequeue();
                _term.CopyBuffer(_word, start, length);
                _position.PositionIncrement = 0;
                _offset.SetOffset(_startOffset, _endOffset);
                return true;
            }

            if (!m_input.IncrementToken()) return false;
            if (_term.Length >= MinCompoundWord)
            {
                Decompose();
                _startOffset = _offset.StartOffset;
                _endOffset = _offset.EndOffset;
            }

            return true;
        }

        private void Decompose()
        {
            var length = _term.Length;
            if (_word.Length < length) _word = new char[ArrayUtil.Oversize(length, sizeof(char))];
            Array.Copy(_term.Buffer, _word, length);
            for (var i = 0; i <= length - MinCompoundPart; i++)
            {
                var longest = _parts.LongestPart(_word, i, Math.Min(MaxCompoundPart, length - i), MinCompoundPart);
                if (longest > 0) _pending.Enqueue((i, longest));
            }
        }

        public override void Reset()
        {
            base.Reset();
            _pending.Clear();
        }
    }

    /// <summary>The compound parts as a trie over their characters.</summary>
    private sealed class CompoundTrie
    {
        private readonly Node _root = new();

        public CompoundTrie(IEnumerable<string> words)
        {
            foreach (var word in words)
            {
                var node = _root;
                foreach (var c in word)
                {
                    node.Children ??= [];
                    if (!node.Children.TryGetValue(c, out var next)) node.Children[c] = next = new Node();
                    node = next;
                }

                node.Word = true;
            }
        }

        /// <summary>The length of the longest word of at least <paramref name="min"/> and at most <paramref name="max"/>
        /// characters that starts at <paramref name="start"/>, or 0.</summary>
        public int LongestPart(char[] text, int start, int max, int min)
        {
            var longest = 0;
            var node = _root;
            for (var j = 1; j <= max; j++)
            {
                if (node.Children is null || !node.Children.TryGetValue(text[start + j - 1], out node)) break;
                if (node.Word && j >= min) longest = j;
            }

            return longest;
        }

        private sealed class Node
        {
            public Dictionary<char, Node>? Children;
            public bool Word;
        }
    }
}
