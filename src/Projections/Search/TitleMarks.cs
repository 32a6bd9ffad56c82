using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Search;

namespace ECase.Projections.Search;

/// <summary>
/// The snippet of a hit whose page texts do not hold the query's words: its title with the words of the query on the
/// title field marked. The title is short, so it is analysed again and each word compared with the query's words and
/// prefixes, which costs a fraction of building the highlighter's span scorer for the whole query on every such hit.
/// Patterns other than prefixes (wildcards, fuzzy terms) are left to the highlighter (<see cref="NeedsHighlighter"/>).
/// </summary>
internal sealed class TitleMarks
{
    private readonly HashSet<string> _words = new(StringComparer.Ordinal);
    private readonly List<string> _prefixes = [];

    private TitleMarks()
    {
    }

    /// <summary>The query holds a pattern on the title that only the highlighter expands.</summary>
    public bool NeedsHighlighter { get; private set; }

    public static TitleMarks For(Query query)
    {
        var marks = new TitleMarks();
        marks.Collect(query);
        return marks;
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
            case TermQuery t when t.Term.Field == SearchFields.Title:
                _words.Add(t.Term.Text);
                break;
            case PhraseQuery p:
                foreach (var term in p.GetTerms())
                {
                    if (term.Field == SearchFields.Title) _words.Add(term.Text);
                }

                break;
            case MultiPhraseQuery mp:
                foreach (var term in mp.GetTermArrays().SelectMany(a => a))
                {
                    if (term.Field == SearchFields.Title) _words.Add(term.Text);
                }

                break;
            case PrefixQuery prefix when prefix.Field == SearchFields.Title:
                _prefixes.Add(prefix.Prefix.Text);
                break;
            case MultiTermQuery m when m.Field == SearchFields.Title:
                NeedsHighlighter = true;
                break;
        }
    }

    /// <summary>The title with the query's words marked (HTML, encoded), or null if none of them is in it.</summary>
    public string? Mark(Analyzer analyzer, string title, string pre, string post, Func<string, string> encode)
    {
        if (_words.Count == 0 && _prefixes.Count == 0) return null;
        var spans = new List<(int Start, int End)>();
        using (var tokens = analyzer.GetTokenStream(SearchFields.Title, title))
        {
            var term = tokens.AddAttribute<ICharTermAttribute>();
            var offset = tokens.AddAttribute<IOffsetAttribute>();
            tokens.Reset();
            while (tokens.IncrementToken())
            {
                var word = term.ToString();
                if (_words.Contains(word) || _prefixes.Exists(p => word.StartsWith(p, StringComparison.Ordinal)))
                {
                    if (spans.Count == 0 || offset.StartOffset >= spans[^1].End) spans.Add((offset.StartOffset, offset.EndOffset));
                }
            }

            tokens.End();
        }

        if (spans.Count == 0) return null;
        // a long title is cut to the snippet's length from just before its first mark
        var from = title.Length <= PageSnippets.SnippetLength ? 0 : Math.Max(0, Math.Min(spans[0].Start - 6, title.Length - PageSnippets.SnippetLength));
        var to = Math.Min(title.Length, from + PageSnippets.SnippetLength);
        var sb = new System.Text.StringBuilder(to - from + 32);
        var at = from;
        foreach (var (start, end) in spans)
        {
            if (start < at) continue;
            if (start >= to) break;
            sb.Append(encode(title[at..start])).Append(pre).Append(encode(title[start..end])).Append(post);
            at = end;
        }

        sb.Append(encode(title[at..Math.Max(at, to)]));
        return sb.ToString();
    }
}
