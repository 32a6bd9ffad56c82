using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace ECase.Projections.Search;

/// <summary>
/// Adjacent word pairs of the page texts (<see cref="SearchFields.TextPairs"/>, as Elasticsearch's <c>index_phrases</c>):
/// each two words that stand next to each other, folded and stemmed as the query side folds them (no compound parts),
/// indexed as one term (<c>sofortig vollziehung</c>) at the position of the second word. An exact phrase of two words
/// on the page texts is then one term lookup, and a longer one a phrase of pairs (rare terms, few positions), instead of
/// merging the positions of words that stand in most documents. A phrase with a gap (a stop word inside) or a slop
/// stays a phrase of words.
/// </summary>
public static class WordPairs
{
    public const char Separator = ' ';

    /// <summary>The query with every exact phrase of two or more adjacent words on the page texts replaced by pairs.</summary>
    public static Query Rewrite(Query query)
    {
        switch (query)
        {
            case BooleanQuery b:
                foreach (var clause in b.Clauses) clause.Query = Rewrite(clause.Query);
                return b;
            case PhraseQuery p when Adjacent(p) is { } words:
                Query pairs;
                if (words.Length == 2)
                {
                    pairs = new TermQuery(Pair(words[0], words[1]));
                }
                else
                {
                    var phrase = new PhraseQuery();
                    for (var i = 1; i < words.Length; i++) phrase.Add(Pair(words[i - 1], words[i]), i - 1);
                    pairs = phrase;
                }

                pairs.Boost = p.Boost;
                return pairs;
            default:
                return query;
        }
    }

    /// <summary>The words of an exact phrase on the page texts that stand at consecutive positions, else null.</summary>
    private static string[]? Adjacent(PhraseQuery p)
    {
        var terms = p.GetTerms();
        var positions = p.GetPositions();
        if (p.Slop != 0 || terms.Length < 2 || terms[0].Field != SearchFields.Text) return null;
        for (var i = 1; i < terms.Length; i++)
        {
            if (positions[i] != positions[0] + i) return null;
        }

        return [.. terms.Select(t => t.Text)];
    }

    private static Term Pair(string first, string second) => new(SearchFields.TextPairs, first + Separator + second);

    /// <summary>The words of a pair term, at its position and the next.</summary>
    public static (string First, string Second) Split(Term pair)
    {
        var text = pair.Text;
        var at = text.IndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? (text, "") : (text[..at], text[(at + 1)..]);
    }

    /// <summary>Turns a stream of words into the pairs of words that follow each other directly (position increment 1);
    /// a pair stands at its second word's position.</summary>
    internal sealed class Filter : TokenFilter
    {
        private readonly ICharTermAttribute _term;
        private readonly IPositionIncrementAttribute _position;
        private readonly IOffsetAttribute _offset;
        private char[] _previous = new char[32];
        private int _previousLength = -1;
        private int _previousStart;
        private char[] _current = new char[32];
        private int _skipped;

        public Filter(TokenStream input)
            : base(input)
        {
            _term = AddAttribute<ICharTermAttribute>();
            _position = AddAttribute<IPositionIncrementAttribute>();
            _offset = AddAttribute<IOffsetAttribute>();
        }

        public override bool IncrementToken()
        {
            while (m_input.IncrementToken())
            {
                var increment = _position.PositionIncrement;
                if (increment == 0) continue;
                _skipped += increment;
                var length = _term.Length;
                var start = _offset.StartOffset;
                if (_current.Length < length) _current = new char[Math.Max(length, _current.Length * 2)];
                Array.Copy(_term.Buffer, _current, length);
                var adjacent = _previousLength >= 0 && increment == 1;
                if (adjacent)
                {
                    var buffer = _term.ResizeBuffer(_previousLength + 1 + length);
                    Array.Copy(_previous, buffer, _previousLength);
                    buffer[_previousLength] = Separator;
                    Array.Copy(_current, 0, buffer, _previousLength + 1, length);
                    _term.Length = _previousLength + 1 + length;
                    _offset.SetOffset(_previousStart, _offset.EndOffset);
                    _position.PositionIncrement = _skipped;
                    _skipped = 0;
                }

                (_previous, _current) = (_current, _previous);
                _previousLength = length;
                _previousStart = start;
                if (adjacent) return true;
            }

            return false;
        }

        public override void End()
        {
            base.End();
            _position.PositionIncrement += _skipped;
        }

        public override void Reset()
        {
            base.Reset();
            _previousLength = -1;
            _skipped = 0;
        }
    }
}
