using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace ECase.Projections.Search;

/// <summary>
/// Snippets of the page texts from the postings (positions and offsets indexed with the terms): for the hits of one
/// result page, each word of the query is looked up once per segment and its postings are advanced to those hits only,
/// so nothing is analysed again and no term vectors are read. A phrase is marked only where its words stand as the
/// phrase; a prefix or wildcard is expanded against the segment. The best passage lies within one page, which gives
/// the page number; the page texts of a hit are read (<see cref="PageTexts"/>) only when it has a match. A hit
/// without a match on its pages gets its title marked the same way (the title is indexed with offsets too).
/// </summary>
internal sealed class PageSnippets
{
    /// <summary>Expansions of one prefix or wildcard per segment beyond which further words are not marked.</summary>
    private const int MaxExpansions = 1024;

    /// <summary>Characters a passage starts before its first match, as the vector highlighter's margin.</summary>
    private const int Margin = 6;

    /// <summary>How far the passage's ends move to reach a word boundary.</summary>
    private const int BoundaryScan = 20;

    private readonly string _field;
    private readonly List<BytesRef> _terms = [];
    private readonly List<(int[] Terms, int[] Positions)> _phrases = [];
    private readonly List<MultiTermQuery> _patterns = [];

    private PageSnippets(string field)
    {
        _field = field;
    }

    /// <summary>The words, phrases and patterns of the query on the page texts; null if there are none.</summary>
    public static PageSnippets? For(Query query) => For(query, SearchFields.Text);

    /// <summary>The words, phrases and patterns of the query on a field indexed with offsets (the page texts or the
    /// title); null if there are none.</summary>
    public static PageSnippets? For(Query query, string field)
    {
        var s = new PageSnippets(field);
        s.Collect(query);
        return s._terms.Count == 0 && s._patterns.Count == 0 ? null : s;
    }

    private int TermIndex(Term term)
    {
        for (var i = 0; i < _terms.Count; i++)
        {
            if (_terms[i].BytesEquals(term.Bytes)) return i;
        }

        _terms.Add(BytesRef.DeepCopyOf(term.Bytes));
        return _terms.Count - 1;
    }

    private void Collect(Query q)
    {
        switch (q)
        {
            case BooleanQuery b:
                foreach (var clause in b.Clauses)
                {
                    if (!clause.IsProhibited) Collect(clause.Query);
                }

                break;
            case DisjunctionMaxQuery d:
                foreach (var disjunct in d.Disjuncts) Collect(disjunct);
                break;
            case TermQuery t when t.Term.Field == SearchFields.TextPairs && _field == SearchFields.Text:
                var (first, second) = WordPairs.Split(t.Term);
                _phrases.Add(([TermIndex(new Term(SearchFields.Text, first)), TermIndex(new Term(SearchFields.Text, second))], [0, 1]));
                break;
            case TermQuery t:
                if (t.Term.Field == _field) TermIndex(t.Term);
                break;
            case PhraseQuery p when _field == SearchFields.Text && p.GetTerms() is [{ Field: SearchFields.TextPairs }, ..] pairs:
                // pairs at consecutive positions: the words are the first of each pair and the second of the last
                var words = pairs.Select(pair => WordPairs.Split(pair).First).Append(WordPairs.Split(pairs[^1]).Second);
                _phrases.Add(([.. words.Select(w => TermIndex(new Term(SearchFields.Text, w)))], [.. Enumerable.Range(0, pairs.Length + 1)]));
                break;
            case PhraseQuery p:
                var terms = p.GetTerms();
                if (terms.Length == 0 || terms[0].Field != _field) break;
                if (terms.Length == 1 || p.Slop != 0)
                {
                    foreach (var term in terms) TermIndex(term);
                    break;
                }

                _phrases.Add(([.. terms.Select(TermIndex)], p.GetPositions()));
                break;
            case MultiTermQuery m:
                if (m.Field == _field) _patterns.Add(m);
                break;
            case MultiPhraseQuery mp:
                foreach (var array in mp.GetTermArrays())
                {
                    foreach (var term in array)
                    {
                        if (term.Field == _field) TermIndex(term);
                    }
                }

                break;
        }
    }

    /// <summary>A match in the concatenated page texts: start and end offset, and which query part it is.</summary>
    private readonly record struct Span(int Start, int End, int Part);

    /// <summary>Snippets (page from 1, HTML with marks) of the given hits, null where a hit has no match in its pages.</summary>
    public Dictionary<int, (int Page, string Snippet)> Build(IndexSearcher searcher, IReadOnlyList<int> docs, IReadOnlyList<string> preTag, IReadOnlyList<string> postTag, Func<string, string> encode)
    {
        var result = new Dictionary<int, (int, string)>();
        var leaves = searcher.IndexReader.Leaves;
        foreach (var group in docs.Distinct().GroupBy(d => ReaderUtil.SubIndex(d, leaves)))
        {
            var leaf = leaves[group.Key];
            var local = group.Select(d => d - leaf.DocBase).Order().ToArray();
            var spans = Matches(leaf.AtomicReader, local);
            for (var i = 0; i < local.Length; i++)
            {
                if (spans[i] is not { Count: > 0 } found) continue;
                var pages = PageTexts.Of(leaf.AtomicReader, local[i]);
                if (pages.Count == 0) continue;
                if (Passage(pages, found, preTag[0], postTag[0], encode) is { } passage) result[local[i] + leaf.DocBase] = passage;
            }
        }

        return result;
    }

    /// <summary>The titles of the given hits (by document number) with the query's words, phrases and patterns on the
    /// title marked, where it has any; the title field holds offsets as the page texts do.</summary>
    public Dictionary<int, string> BuildTitles(IndexSearcher searcher, IReadOnlyList<(int Doc, string Title)> hits, IReadOnlyList<string> preTag, IReadOnlyList<string> postTag, Func<string, string> encode)
    {
        var result = new Dictionary<int, string>();
        var leaves = searcher.IndexReader.Leaves;
        foreach (var group in hits.DistinctBy(h => h.Doc).GroupBy(h => ReaderUtil.SubIndex(h.Doc, leaves)))
        {
            var leaf = leaves[group.Key];
            var local = group.OrderBy(h => h.Doc).ToArray();
            var spans = Matches(leaf.AtomicReader, [.. local.Select(h => h.Doc - leaf.DocBase)]);
            for (var i = 0; i < local.Length; i++)
            {
                if (spans[i] is not { Count: > 0 } found || local[i].Title.Length == 0) continue;
                if (Passage(PageTexts.Of(local[i].Title), found, preTag[0], postTag[0], encode) is { } passage) result[local[i].Doc] = passage.Snippet;
            }
        }

        return result;
    }

    /// <summary>Per hit (segment-local, ascending), the spans of the query's words and phrases in its page texts.</summary>
    private List<Span>?[] Matches(AtomicReader reader, int[] docs)
    {
        var found = new List<Span>?[docs.Length];
        var terms = reader.GetTerms(_field);
        if (terms is null || !terms.HasOffsets) return found;

        // (position, start, end) of each word per hit
        var occurrences = new List<(int Position, int Start, int End)>?[_terms.Count][];
        for (var t = 0; t < _terms.Count; t++) occurrences[t] = new List<(int Position, int Start, int End)>?[docs.Length];
        var termsEnum = terms.GetEnumerator();
        DocsAndPositionsEnum? postings = null;
        for (var t = 0; t < _terms.Count; t++)
        {
            if (!termsEnum.SeekExact(_terms[t])) continue;
            postings = termsEnum.DocsAndPositions(null, postings, DocsAndPositionsFlags.OFFSETS);
            if (postings is null) continue;
            Read(postings, docs, (i, pos, start, end) => (occurrences[t][i] ??= []).Add((pos, start, end)));
        }

        var inPhrase = new bool[_terms.Count];
        foreach (var (phraseTerms, _) in _phrases)
        {
            foreach (var t in phraseTerms) inPhrase[t] = true;
        }

        var singles = new HashSet<int>();
        for (var t = 0; t < _terms.Count; t++)
        {
            if (!inPhrase[t]) singles.Add(t);
        }

        // words also searched on their own (not only within a phrase) are marked on their own too
        for (var i = 0; i < docs.Length; i++)
        {
            foreach (var t in singles)
            {
                if (occurrences[t][i] is { } list)
                {
                    foreach (var o in list) (found[i] ??= []).Add(new Span(o.Start, o.End, t));
                }
            }

            for (var p = 0; p < _phrases.Count; p++)
            {
                var (phraseTerms, positions) = _phrases[p];
                if (occurrences[phraseTerms[0]][i] is not { } firsts) continue;
                foreach (var first in firsts)
                {
                    var end = first.End;
                    var all = true;
                    for (var k = 1; k < phraseTerms.Length && all; k++)
                    {
                        var want = first.Position + positions[k] - positions[0];
                        var next = occurrences[phraseTerms[k]][i]?.FindIndex(o => o.Position == want) ?? -1;
                        if (next >= 0) end = Math.Max(end, occurrences[phraseTerms[k]][i]![next].End);
                        else all = false;
                    }

                    if (all) (found[i] ??= []).Add(new Span(first.Start, end, _terms.Count + p));
                }
            }
        }

        // prefixes and wildcards: every expansion in this segment, up to MaxExpansions each
        for (var q = 0; q < _patterns.Count; q++)
        {
            var part = _terms.Count + _phrases.Count + q;
            var expanded = Expand(_patterns[q], terms);
            var expansions = 0;
            while (expanded.MoveNext() && ++expansions <= MaxExpansions)
            {
                postings = expanded.DocsAndPositions(null, postings, DocsAndPositionsFlags.OFFSETS);
                if (postings is null) continue;
                Read(postings, docs, (i, _, start, end) => (found[i] ??= []).Add(new Span(start, end, part)));
            }
        }

        return found;
    }

    private static void Read(DocsAndPositionsEnum postings, int[] docs, Action<int, int, int, int> add)
    {
        for (var i = 0; i < docs.Length; i++)
        {
            var doc = postings.DocID < docs[i] ? postings.Advance(docs[i]) : postings.DocID;
            if (doc == DocIdSetIterator.NO_MORE_DOCS) return;
            if (doc != docs[i]) continue;
            var freq = postings.Freq;
            for (var f = 0; f < freq; f++)
            {
                var position = postings.NextPosition();
                if (postings.StartOffset >= 0) add(i, position, postings.StartOffset, postings.EndOffset);
            }
        }
    }

    /// <summary>The terms of the segment a prefix or wildcard query matches.</summary>
    private static TermsEnum Expand(MultiTermQuery query, Terms terms) => TermsOf.Instance.Open(query, terms);

    /// <summary>Opens a query's own term enumeration (protected, reachable through a rewrite method).</summary>
    private sealed class TermsOf : MultiTermQuery.RewriteMethod
    {
        public static readonly TermsOf Instance = new();

        public TermsEnum Open(MultiTermQuery query, Terms terms) => GetTermsEnum(query, terms, new Lucene.Net.Util.AttributeSource());

        public override Query Rewrite(IndexReader reader, MultiTermQuery query) => throw new NotSupportedException();
    }

    /// <summary>The best passage: the window within one page holding the most different parts of the query, then the
    /// most matches; the earliest of equals.</summary>
    private static (int Page, string Snippet)? Passage(PageTexts pages, List<Span> spans, string pre, string post, Func<string, string> encode)
    {
        spans.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : b.End.CompareTo(a.End));
        var starts = new int[pages.Count];
        for (int p = 0, offset = 0; p < pages.Count; p++)
        {
            starts[p] = offset;
            offset += pages.Length(p) + 1; // offsets run on over the values, one apart (offset gap)
        }

        int PageOf(int offset)
        {
            var p = Array.BinarySearch(starts, offset);
            return p >= 0 ? p : ~p - 1;
        }

        var parts = new HashSet<int>();
        var best = -1;
        var bestParts = 0;
        var bestCount = 0;
        for (var a = 0; a < spans.Count; a++)
        {
            var page = PageOf(spans[a].Start);
            if (page < 0 || spans[a].End > starts[page] + pages.Length(page)) continue;
            var limit = spans[a].Start - Margin + SnippetLength;
            parts.Clear();
            var count = 0;
            for (var b = a; b < spans.Count && spans[b].End <= limit && spans[b].End <= starts[page] + pages.Length(page); b++)
            {
                parts.Add(spans[b].Part);
                count++;
            }

            if (parts.Count > bestParts || (parts.Count == bestParts && count > bestCount))
            {
                best = a;
                bestParts = parts.Count;
                bestCount = count;
            }
        }

        if (best < 0) return null;
        var pageIndex = PageOf(spans[best].Start);
        var length = pages.Length(pageIndex);
        var baseOffset = starts[pageIndex];
        var from = Math.Max(0, spans[best].Start - baseOffset - Margin);
        var to = Math.Min(length, from + SnippetLength);
        // near the end of the page, the passage takes in more of what precedes the match
        if (to - from < SnippetLength) from = Math.Max(0, to - SnippetLength);

        // only the part of the page around the passage is decoded: its boundaries and the ends of the spans in it
        var lo = Math.Max(0, from - BoundaryScan - 1);
        var hi = Math.Min(length, to + BoundaryScan + 1);
        foreach (var span in spans)
        {
            var (s, e) = (span.Start - baseOffset, span.End - baseOffset);
            if (s >= lo && s < hi && e <= length) hi = Math.Max(hi, e);
        }

        var window = pages.Window(pageIndex, lo, hi);
        from = BoundaryBefore(window, from);
        to = BoundaryAfter(window, to);

        var sb = new System.Text.StringBuilder(to - from + 64);
        var at = from;
        for (var i = 0; i < spans.Count; i++)
        {
            var s = spans[i].Start - baseOffset;
            var e = spans[i].End - baseOffset;
            if (s >= to) break;
            if (s < at || e > length) continue; // overlaps a marked span, or past the page
            if (e > to) to = e;
            sb.Append(encode(window.Substring(at, s))).Append(pre).Append(encode(window.Substring(s, e))).Append(post);
            at = e;
        }

        sb.Append(encode(window.Substring(at, to)));
        return (pageIndex + 1, sb.ToString());
    }

    /// <summary>Snippet length in characters.</summary>
    public const int SnippetLength = 200;

    private static bool IsBoundary(char c) => char.IsWhiteSpace(c) || c is '.' or ',' or '!' or '?';

    private static int BoundaryBefore(PageTexts.Part text, int from)
    {
        for (var i = from; i > 0 && from - i <= BoundaryScan; i--)
        {
            if (IsBoundary(text[i - 1])) return i;
        }

        return from;
    }

    private static int BoundaryAfter(PageTexts.Part text, int to)
    {
        for (var i = to; i < text.End && i - to <= BoundaryScan; i++)
        {
            if (IsBoundary(text[i])) return i;
        }

        return to;
    }
}
