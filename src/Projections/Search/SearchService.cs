using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using ECase.Domain.Common;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace ECase.Projections.Search;

public enum SearchSort { Relevance, Date, DateAscending }

/// <summary>What a caller may see: their org units (null: all) up to their clearance. Applied inside the query.</summary>
public sealed record SearchScope(IReadOnlyList<string>? OrgUnits, Confidentiality Clearance);

public sealed record SearchRequest(
    string? Query, SearchScope Scope, int Page = 1, int PageSize = 20, SearchSort Sort = SearchSort.Relevance,
    string? PlanUnit = null, string? Year = null, string? Type = null, string? Status = "open");

public sealed record SearchHit(
    string Type, Guid FileId, Guid? CaseId, Guid? DocumentId, string Reference, string Title, string FileTitle, string? CaseTitle,
    string PlanUnit, string Status, DateTimeOffset Date, int? Version, int? Page, string? Snippet, float Score);

public sealed record FacetValue(string Value, int Count);

public sealed record SearchResult(
    string Query, int Total, int Page, int PageSize, IReadOnlyList<SearchHit> Hits, IReadOnlyDictionary<string, IReadOnlyList<FacetValue>> Facets);

/// <summary>The query did not parse or is too broad to run; the message says why, for the caller.</summary>
public sealed class SearchQueryException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Runs searches on an index: parses the query (German analysis, phrases, prefixes, reference numbers), restricts it
/// to what the caller may see before anything is scored or counted, counts facets in the same pass (each facet counted
/// as if its own selection were not applied, so the other values stay visible), and highlights a snippet with its page.
/// </summary>
public sealed class SearchService(int maxConcurrent = 0)
{
    public const int MaxPageSize = 100;
    public const int MaxDepth = 1000;

    private static readonly Analyzer QueryAnalyzer = GermanAnalysis.ForQuery();

    internal static readonly string[] FacetFields = [SearchFields.FacetPlanUnit, SearchFields.FacetYear, SearchFields.FacetType, SearchFields.FacetStatus];
    private static readonly string[] FacetNames = ["planUnit", "year", "type", "status"];

    private static readonly string[] PreTags = ["<mark>"];
    private static readonly string[] PostTags = ["</mark>"];
    private static readonly MinimalHtmlEncoder HtmlEncoder = new();

    /// <summary>A hit needs only its entry (JSON) from the stored fields; the page texts are read once, by the snippet.</summary>
    private static readonly ISet<string> EntryOnly = new HashSet<string> { SearchFields.Entry };

    private readonly ConcurrentDictionary<SearchScope, Filter> _scopeFilters = new(new ScopeComparer());

    /// <summary>Admission of searches: at most this many run at once, the others wait in turn (see <see cref="SearchOptions.MaxConcurrentSearches"/>).</summary>
    private readonly SearchSlots _slots = new(maxConcurrent > 0 ? maxConcurrent : Environment.ProcessorCount);

    public int Slots => _slots.Count;

    /// <summary>Runs a search when a slot is free, blocking the calling thread until then.</summary>
    public SearchResult Search(SearchIndex index, SearchRequest request)
    {
        _slots.Enter();
        try
        {
            return Run(index, request);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Runs a search when a slot is free, without holding a thread while it waits.</summary>
    public async Task<SearchResult> SearchAsync(SearchIndex index, SearchRequest request, CancellationToken ct)
    {
        await _slots.EnterAsync(ct).ConfigureAwait(false);
        try
        {
            return Run(index, request);
        }
        finally
        {
            _slots.Release();
        }
    }

    private SearchResult Run(SearchIndex index, SearchRequest request)
    {
        var size = Math.Clamp(request.PageSize, 1, MaxPageSize);
        var page = Math.Max(1, request.Page);
        var depth = page * size;
        if (depth > MaxDepth) throw new SearchQueryException($"Only the first {MaxDepth} hits can be paged through; narrow the query.");

        var userQuery = Parse(request.Query);
        var query = new FilteredQuery(userQuery, ScopeFilter(request.Scope), ScopeStrategy.For(userQuery));
        string?[] selected = [request.PlanUnit, request.Year, request.Type, request.Status is "all" ? null : request.Status];

        return index.Read(searcher =>
        {
            ITopDocsCollector top = request.Sort switch
            {
                // Out of order: a query of one word or prefix (a disjunction over the searched fields) may then be scored
                // in bulk (BooleanScorer); ties still go to the lower document number, so results are the same.
                SearchSort.Relevance => TopScoreDocCollector.Create(depth, docsScoredInOrder: false),
                _ => TopFieldCollector.Create(
                    new Sort(new SortField(SearchFields.Date, SortFieldType.INT64, request.Sort == SearchSort.Date)), depth,
                    fillFields: false, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false),
            };
            var collector = new FacetingCollector((ICollector)top, FacetFields, selected);
            try
            {
                searcher.Search(query, collector);
            }
            catch (BooleanQuery.TooManyClausesException e)
            {
                throw new SearchQueryException("The query expands to too many terms; make wildcards more specific.", e);
            }

            var docs = top.GetTopDocs((page - 1) * size, size).ScoreDocs;
            var entries = docs.Select(d => HitEntry(searcher, d.Doc)).ToArray();
            var snippets = Snippets(searcher, userQuery, docs, entries);
            var hits = docs.Select((d, i) => ToHit(d, entries[i], snippets.GetValueOrDefault(d.Doc))).ToList();
            var facets = FacetNames.Select((name, i) => (name, values: collector.Counts(i)))
                .ToDictionary(x => x.name, x => (IReadOnlyList<FacetValue>)[.. x.values.OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal)
                    .Select(v => new FacetValue(v.Key, v.Value))]);
            return new SearchResult(request.Query ?? "", collector.Total, page, size, hits, facets);
        });
    }

    /// <summary>A parser per thread: it is not thread-safe, but each parse starts afresh, and building one costs more than parsing.</summary>
    [ThreadStatic]
    private static GermanQueryParser? _parser;

    public static Query Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new MatchAllDocsQuery();
        if (text.Length > 1000) throw new SearchQueryException("The query is longer than 1000 characters.");
        var parser = _parser ??= new GermanQueryParser();
        try
        {
            // '/' starts a regular expression in Lucene's syntax; here it is part of reference numbers (0007/2026).
            return WordPairs.Rewrite(parser.Parse(EscapeSlashes(text)));
        }
        catch (ParseException e)
        {
            throw new SearchQueryException($"The query cannot be parsed: {FirstLine(e.Message)}", e);
        }
    }

    private static string EscapeSlashes(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                sb.Append(text, i, 2);
                i++;
                continue;
            }

            if (text[i] == '/') sb.Append('\\');
            sb.Append(text[i]);
        }

        return sb.ToString();
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    internal Filter ScopeFilter(SearchScope scope) => _scopeFilters.GetOrAdd(scope, s =>
    {
        var filter = new BooleanQuery { { new TermQuery(new Term(SearchFields.Visible, "1")), Occur.MUST } };
        var levels = new BooleanQuery();
        for (var level = 0; level <= (int)s.Clearance; level++)
        {
            levels.Add(new TermQuery(new Term(SearchFields.Confidentiality, level.ToString(CultureInfo.InvariantCulture))), Occur.SHOULD);
        }

        filter.Add(levels, Occur.MUST);
        if (s.OrgUnits is { } units)
        {
            var orgUnits = new BooleanQuery();
            foreach (var unit in units) orgUnits.Add(new TermQuery(new Term(SearchFields.OrgUnit, unit)), Occur.SHOULD);
            if (units.Count == 0) orgUnits.Add(new TermQuery(new Term(SearchFields.OrgUnit, "\u0000none")), Occur.SHOULD);
            filter.Add(orgUnits, Occur.MUST);
        }

        return new BitSetCachingFilter(new QueryWrapperFilter(filter));
    });

    private static SearchHit ToHit(ScoreDoc scoreDoc, IndexEntry entry, (int? Page, string? Snippet) snippet) => new(
        entry.Type, entry.FileId, entry.CaseId, entry.DocumentId, entry.Reference, entry.Title, entry.FileTitle, entry.CaseTitle,
        entry.PlanCode, entry.Status, entry.Date, entry.Kind == EntryKind.Document ? entry.Version : null, snippet.Page, snippet.Snippet,
        float.IsNaN(scoreDoc.Score) ? 0 : scoreDoc.Score);

    /// <summary>Per hit, the best passage of its page texts with the page number, else its title with the query's
    /// words marked (no page); none if the query has nothing on the page texts.</summary>
    private static Dictionary<int, (int? Page, string? Snippet)> Snippets(IndexSearcher searcher, Query query, ScoreDoc[] docs, IndexEntry[] entries)
    {
        var result = new Dictionary<int, (int? Page, string? Snippet)>();
        if (docs.Length == 0 || query is MatchAllDocsQuery || PageSnippets.For(query) is not { } pages) return result;
        foreach (var (doc, (page, snippet)) in pages.Build(searcher, [.. docs.Select(d => d.Doc)], PreTags, PostTags, HtmlEncoder.EncodeText))
        {
            if (snippet.Trim() is { Length: > 0 } text) result[doc] = (page, text);
        }

        var untitled = docs.Select((d, i) => (d.Doc, entries[i].Title)).Where(h => !result.ContainsKey(h.Doc)).ToList();
        if (untitled.Count > 0 && PageSnippets.For(query, SearchFields.Title) is { } titles)
        {
            foreach (var (doc, snippet) in titles.BuildTitles(searcher, untitled, PreTags, PostTags, HtmlEncoder.EncodeText)) result[doc] = (null, snippet);
        }

        return result;
    }

    /// <summary>The snippets of the page texts of the given hits (by document number), as a search makes them.</summary>
    public static IReadOnlyDictionary<int, (int Page, string Snippet)> PageSnippetsOf(IndexSearcher searcher, Query query, IReadOnlyList<int> docs) =>
        PageSnippets.For(query)?.Build(searcher, docs, PreTags, PostTags, HtmlEncoder.EncodeText) ?? [];

    /// <summary>What the hit shows of its entry: the summary in the doc values, else the stored entry.</summary>
    private static IndexEntry HitEntry(IndexSearcher searcher, int doc)
    {
        var leaves = searcher.IndexReader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
        if (leaf.AtomicReader.GetBinaryDocValues(SearchFields.Hit) is { } values)
        {
            var bytes = new BytesRef();
            values.Get(doc - leaf.DocBase, bytes);
            if (IndexEntry.FromHitValue(bytes) is { } entry) return entry;
        }

        return IndexEntry.FromDocument(searcher.Doc(doc, EntryOnly));
    }

    /// <summary>Query syntax of Lucene over the searched fields; AND between words; prefix and wildcard terms folded like indexed words.</summary>
    private sealed class GermanQueryParser : MultiFieldQueryParser
    {
        public GermanQueryParser()
            : base(GermanAnalysis.Version, SearchFields.Searched, QueryAnalyzer, SearchFields.Boosts.ToDictionary())
        {
            DefaultOperator = Operator.AND;
            AllowLeadingWildcard = false;
            LowercaseExpandedTerms = false;
        }

        /// <summary>Fields a prefix or wildcard without a digit is expanded in: the reference field holds whole
        /// reference numbers (one term each), so a word prefix has nothing to expand to there.</summary>
        private static readonly string[] WordPatternFields = [.. SearchFields.Searched.Where(f => f != SearchFields.Reference)];

        protected override Query GetPrefixQuery(string field, string termStr) => field is null
            ? Expand(termStr, f => GetPrefixQuery(f, termStr))
            : Cached(base.GetPrefixQuery(field, Fold(field, termStr)));

        private static Query Cached(Query query)
        {
            if (query is PrefixQuery prefix) prefix.MultiTermRewriteMethod = CachedPrefixRewrite.Instance;
            return query;
        }

        protected override Query GetWildcardQuery(string field, string termStr) => field is null
            ? Expand(termStr, f => GetWildcardQuery(f, termStr))
            : base.GetWildcardQuery(field, Fold(field, termStr));

        /// <summary>One clause per field the pattern makes sense in (as the multi-field parser builds it, without boosts).</summary>
        private Query Expand(string termStr, Func<string, Query> perField)
        {
            var fields = termStr.Any(char.IsAsciiDigit) ? SearchFields.Searched : WordPatternFields;
            return GetBooleanQuery([.. fields.Select(f => new BooleanClause(perField(f), Occur.SHOULD))], disableCoord: true);
        }

        protected override Query GetFuzzyQuery(string field, string termStr, float minSimilarity) =>
            base.GetFuzzyQuery(field, Fold(field, termStr), minSimilarity);

        private static string Fold(string field, string term) =>
            field == SearchFields.Reference ? term.ToLowerInvariant() : GermanAnalysis.Normalize(term);
    }

    /// <summary>Escapes what HTML needs escaped and leaves umlauts as they are (JSON carries them fine).</summary>
    private sealed class MinimalHtmlEncoder
    {
        public string EncodeText(string originalText) => originalText
            .Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
    }

    private sealed class ScopeComparer : IEqualityComparer<SearchScope>
    {
        public bool Equals(SearchScope? x, SearchScope? y) => x is not null && y is not null && x.Clearance == y.Clearance
            && (x.OrgUnits is null ? y.OrgUnits is null : y.OrgUnits is not null && x.OrgUnits.SequenceEqual(y.OrgUnits));

        public int GetHashCode(SearchScope s) => HashCode.Combine(s.Clearance, s.OrgUnits is null ? -1 : string.Join('\u0001', s.OrgUnits).GetHashCode(StringComparison.Ordinal));
    }
}

/// <summary>
/// Counts facet values over every hit the caller may see and passes the hits that match all selections on to the
/// top-N collector. A value of facet d is counted for a hit that matches every selection except perhaps d's own
/// (drill sideways), so choosing plan unit 32.10.05 still shows how many hits the other plan units have.
/// </summary>
internal sealed class FacetingCollector(ICollector inner, string[] fields, string?[] selected) : ICollector
{
    private readonly Dictionary<string, int>[] _counts = [.. fields.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal))];
    private readonly SortedDocValues?[] _values = new SortedDocValues?[fields.Length];
    private readonly int[] _selectedOrd = new int[fields.Length];
    private readonly int[][] _segmentCounts = new int[fields.Length][];
    private readonly int[] _ords = new int[fields.Length];
    private FacetOrdinals? _packed;

    public int Total { get; private set; }

    /// <summary>Counts are per segment and order-free; the top-N collector is created for out-of-order scoring.</summary>
    public bool AcceptsDocsOutOfOrder => inner.AcceptsDocsOutOfOrder;

    public void SetScorer(Scorer scorer) => inner.SetScorer(scorer);

    public void SetNextReader(AtomicReaderContext context)
    {
        Flush();
        for (var d = 0; d < fields.Length; d++)
        {
            var values = context.AtomicReader.GetSortedDocValues(fields[d]);
            _values[d] = values;
            // Reused across segments and searches of this collector: Flush leaves every count at zero.
            var size = Math.Max(1, values?.ValueCount ?? 0);
            if (_segmentCounts[d] is not { } counts || counts.Length < size) _segmentCounts[d] = new int[size];
            // Not selected: -2 accepts every doc; selected but absent from this segment: -3 accepts none.
            _selectedOrd[d] = selected[d] is not { } value ? -2 : values is null ? -3 : values.LookupTerm(new BytesRef(value)) is var ord and >= 0 ? ord : -3;
        }

        _packed = FacetOrdinals.Of(context.AtomicReader, fields);
        inner.SetNextReader(context);
    }

    public void Collect(int doc)
    {
        var failures = 0;
        var failed = -1;
        var ords = _ords;
        var packed = _packed;
        for (var d = 0; d < ords.Length; d++)
        {
            var ord = ords[d] = packed is not null ? packed.Ord(doc, d) : _values[d] is { } values ? values.GetOrd(doc) : -1;
            var selectedOrd = _selectedOrd[d];
            if (selectedOrd != -2 && ord != selectedOrd)
            {
                if (++failures > 1) return;
                failed = d;
            }
        }

        for (var d = 0; d < ords.Length; d++)
        {
            if ((failures == 0 || failed == d) && ords[d] >= 0) _segmentCounts[d][ords[d]]++;
        }

        if (failures == 0)
        {
            Total++;
            inner.Collect(doc);
        }
    }

    public IReadOnlyDictionary<string, int> Counts(int dimension)
    {
        Flush();
        return _counts[dimension];
    }

    private void Flush()
    {
        for (var d = 0; d < fields.Length; d++)
        {
            if (_values[d] is not { } values || _segmentCounts[d] is not { } counts) continue;
            var term = new BytesRef();
            for (var ord = 0; ord < values.ValueCount; ord++)
            {
                if (counts[ord] == 0) continue;
                var key = _packed?.Label(d, ord);
                if (key is null)
                {
                    values.LookupOrd(ord, term);
                    key = term.Utf8ToString();
                }

                _counts[d][key] = _counts[d].GetValueOrDefault(key) + counts[ord];
                counts[ord] = 0;
            }
        }
    }
}

/// <summary>
/// Caches a filter's documents per segment as a bit set (<see cref="CachingWrapperFilter"/> keeps a compressed set,
/// which can only be iterated), so that the scope of a search can be tested per document (<see cref="ScopeStrategy"/>);
/// the set handed out says whether it holds enough of the segment for that.
/// </summary>
internal sealed class BitSetCachingFilter(Filter filter) : CachingWrapperFilter(filter)
{
    /// <summary>Below one document in this many of a segment, the scope is sparse.</summary>
    private const int Sparse = 64;

    protected override DocIdSet CacheImpl(DocIdSetIterator iterator, AtomicReader reader)
    {
        var bits = new FixedBitSet(reader.MaxDoc);
        bits.Or(iterator);
        return bits;
    }

    public override DocIdSet GetDocIdSet(AtomicReaderContext context, IBits? acceptDocs)
    {
        // null: no document of the segment is in the scope (as the base class answers)
        if (base.GetDocIdSet(context, null) is not { } cached) return null!;
        var dense = cached is FixedBitSet bits && bits.Cardinality * (long)Sparse >= context.AtomicReader.MaxDoc;
        return new ScopeSet(BitsFilteredDocIdSet.Wrap(cached, acceptDocs), dense);
    }

    /// <summary>The scope's documents in a segment (deleted ones left out).</summary>
    internal sealed class ScopeSet(DocIdSet set, bool dense) : DocIdSet
    {
        public bool Dense => dense;

        public override DocIdSetIterator GetIterator() => set.GetIterator();

        public override IBits Bits => set.Bits;

        public override bool IsCacheable => set.IsCacheable;
    }
}

/// <summary>
/// How the scope restricts a query. Words and phrases: the scope's bits are handed to the postings as the documents to
/// accept, so the query's scorer skips the others as it reads them, about twice as fast as advancing the query to each
/// document of the scope in turn. (Lucene's bulk scorer for a word in several fields is no faster here and allocates
/// a table of 2,048 buckets per segment and search, so the scorer runs in document order.) A prefix or
/// wildcard is a constant score over a cached filter of most documents: there the scope leads and the query's documents
/// are advanced to it. A scope with few documents in a segment leads as well.
/// </summary>
internal sealed class ScopeStrategy : FilteredQuery.FilterStrategy
{
    private static readonly ScopeStrategy Instance = new();

    public static FilteredQuery.FilterStrategy For(Query query) =>
        HasPattern(query) ? FilteredQuery.LEAP_FROG_FILTER_FIRST_STRATEGY : Instance;

    private static bool HasPattern(Query query) => query switch
    {
        MultiTermQuery => true,
        BooleanQuery b => b.Clauses.Any(c => HasPattern(c.Query)),
        _ => false,
    };

    public override Scorer? FilteredScorer(AtomicReaderContext context, Weight weight, DocIdSet docIdSet) =>
        docIdSet is BitSetCachingFilter.ScopeSet { Dense: true } && docIdSet.Bits is { } bits
            ? weight.GetScorer(context, bits)
            : FilteredQuery.LEAP_FROG_FILTER_FIRST_STRATEGY.FilteredScorer(context, weight, docIdSet);
}

/// <summary>
/// The facet ordinals of every document of a segment packed into one integer (as many bits per facet as its number of
/// values needs), and the value of each ordinal, computed once per segment and kept while the segment lives: counting
/// a hit then reads one array element instead of asking the doc values of each facet. Null for a segment whose facets need more than 32 bits
/// (thousands of plan units and years at once); the collector then reads the doc values.
/// </summary>
internal sealed class FacetOrdinals
{
    private static readonly ConditionalWeakTable<object, FacetOrdinals> Cache = new();

    /// <summary>Stands for "does not fit" in the cache.</summary>
    private static readonly FacetOrdinals None = new([], [], [], []);

    private readonly int[] _packed;
    private readonly int[] _shifts;
    private readonly uint[] _masks;
    private readonly string[][] _labels;

    private FacetOrdinals(int[] packed, int[] shifts, uint[] masks, string[][] labels)
    {
        _packed = packed;
        _shifts = shifts;
        _masks = masks;
        _labels = labels;
    }

    /// <summary>The value of ordinal <paramref name="ord"/> of facet <paramref name="d"/>.</summary>
    public string Label(int d, int ord) => _labels[d][ord];

    /// <summary>Ordinal of facet <paramref name="d"/> of a document of the segment (-1: none).</summary>
    public int Ord(int doc, int d) => (int)(((uint)_packed[doc] >> _shifts[d]) & _masks[d]) - 1;

    /// <summary>The packed ordinals of the facet fields (always the same fields) of a segment.</summary>
    public static FacetOrdinals? Of(AtomicReader reader, string[] fields)
    {
        var ordinals = Cache.GetValue(reader.CoreCacheKey, _ => Build(reader, fields));
        return ReferenceEquals(ordinals, None) ? null : ordinals;
    }

    private static FacetOrdinals Build(AtomicReader reader, string[] fields)
    {
        var values = fields.Select(reader.GetSortedDocValues).ToArray();
        var shifts = new int[fields.Length];
        var masks = new uint[fields.Length];
        var shift = 0;
        for (var d = 0; d < fields.Length; d++)
        {
            // ordinal + 1 (0: no value) takes up to ValueCount
            var bits = values[d] is { ValueCount: > 0 } v ? 32 - BitOperations.LeadingZeroCount((uint)v.ValueCount) : 0;
            if (shift + bits > 32) return None;
            shifts[d] = bits == 0 ? 0 : shift;
            masks[d] = bits == 0 ? 0 : (uint)((1UL << bits) - 1);
            shift += bits;
        }

        var labels = values.Select(v =>
        {
            var term = new BytesRef();
            return v is null ? [] : Enumerable.Range(0, v.ValueCount).Select(ord =>
            {
                v.LookupOrd(ord, term);
                return term.Utf8ToString();
            }).ToArray();
        }).ToArray();
        var packed = new int[reader.MaxDoc];
        for (var doc = 0; doc < packed.Length; doc++)
        {
            uint p = 0;
            for (var d = 0; d < values.Length; d++)
            {
                if (values[d] is { } v) p |= (uint)(v.GetOrd(doc) + 1) << shifts[d];
            }

            packed[doc] = (int)p;
        }

        return new FacetOrdinals(packed, shifts, masks, labels);
    }
}

/// <summary>
/// Rewrites a prefix query to a constant score over a cached filter: the documents of all its expansions, computed once
/// per segment (as Lucene's constant-score rewrite would compute them on every search) and kept while the segment lives
/// (<see cref="CachingWrapperFilter"/>, keyed by segment core; deletions applied per search). The same prefix searched
/// again, by anyone and in any scope, costs a bitset lookup. Scores are those of the constant-score rewrite; the query
/// stays a <see cref="PrefixQuery"/>, so snippets and highlighting expand it as before. At most 256 prefixes are kept.
/// </summary>
internal sealed class CachedPrefixRewrite : MultiTermQuery.RewriteMethod
{
    public static readonly CachedPrefixRewrite Instance = new();

    private const int MaxPrefixes = 256;

    private readonly ConcurrentDictionary<(string Field, string Prefix), Filter> _filters = new();

    public override Query Rewrite(IndexReader reader, MultiTermQuery query)
    {
        if (query is not PrefixQuery prefix) return MultiTermQuery.CONSTANT_SCORE_AUTO_REWRITE_DEFAULT.Rewrite(reader, query);
        var key = (prefix.Field, prefix.Prefix.Text);
        if (!_filters.TryGetValue(key, out var filter))
        {
            if (_filters.Count >= MaxPrefixes) _filters.Clear();
            filter = _filters.GetOrAdd(key, k => new CachingWrapperFilter(new PrefixFilter(new Term(k.Field, k.Prefix))));
        }

        return new ConstantScoreQuery(filter) { Boost = query.Boost };
    }
}
