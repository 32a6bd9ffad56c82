using System.Diagnostics;
using System.Globalization;
using ECase.Projections.Search;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace ECase.Bench;

/// <summary>Diagnostic (<c>--phases index,profile</c>): CPU per query class of each step of a search, one thread.</summary>
public static class SearchProfile
{
    public static void Run(SearchIndex index, SearchService service, IReadOnlyList<BenchQuery> queries, int repeat, SearchCorpus corpus)
    {
        var inv = CultureInfo.InvariantCulture;
        Indexing(corpus);
        var scope = SearchBenchmark.ClerkScope;
        var filter = service.ScopeFilter(scope);
        // Per hit: the steps of turning a top doc into a SearchHit, over the top 20 of the broad queries.
        var broad = queries.Where(q => q.Class == "broad").ToArray();
        var entryOnly = new HashSet<string> { SearchFields.Entry };
        index.Read(s =>
        {
            var work = broad.Select(q => (Fq: SearchService.Parse(q.Lucene),
                Docs: s.Search(new FilteredQuery(SearchService.Parse(q.Lucene), filter), 20).ScoreDocs.Select(d => d.Doc).ToArray())).ToArray();
            var hits = work.Sum(w => w.Docs.Length) * repeat;
            double PerHit<T>(Func<Query, int, T> step)
            {
                foreach (var w in work) foreach (var d in w.Docs) step(w.Fq, d);
                var t0 = Process.GetCurrentProcess().TotalProcessorTime;
                for (var r = 0; r < repeat; r++) foreach (var w in work) foreach (var d in w.Docs) step(w.Fq, d);
                return (Process.GetCurrentProcess().TotalProcessorTime - t0).TotalMilliseconds / hits;
            }

            var entryDoc = PerHit((_, d) => s.Doc(d, entryOnly));
            var json = PerHit((_, d) => IndexEntry.FromDocument(s.Doc(d, entryOnly)));
            var fullDoc = PerHit((_, d) => s.Doc(d));
            var hitValues = PerHit((_, d) =>
            {
                var leaf = s.IndexReader.Leaves[ReaderUtil.SubIndex(d, s.IndexReader.Leaves)];
                var bytes = new Lucene.Net.Util.BytesRef();
                leaf.AtomicReader.GetBinaryDocValues(SearchFields.Hit)?.Get(d - leaf.DocBase, bytes);
                return IndexEntry.FromHitValue(bytes);
            });
            var snippet = PerHit((q, d) => SearchService.PageSnippetsOf(s, q, [d]));
            var pagesOnly = PerHit((_, d) =>
            {
                var leaf = s.IndexReader.Leaves[ReaderUtil.SubIndex(d, s.IndexReader.Leaves)];
                var bytes = new Lucene.Net.Util.BytesRef();
                leaf.AtomicReader.GetBinaryDocValues(SearchFields.Pages)?.Get(d - leaf.DocBase, bytes);
                return System.Text.Encoding.UTF8.GetString(bytes.Bytes, bytes.Offset, bytes.Length);
            });
            Console.WriteLine(string.Create(inv,
                $"[profile] per hit (broad, {hits} hits) cpu ms: stored entry only {entryDoc:0.000}, + JSON {json:0.000}, hit summary from doc values, decoded {hitValues:0.000}, whole stored doc {fullDoc:0.000}, page snippet alone (postings + page texts) {snippet:0.000}, reading and decoding all its page texts {pagesOnly:0.000}"));
            return 0;
        });

        foreach (var cls in SearchCorpus.Classes)
        {
            var set = queries.Where(q => q.Class == cls).ToArray();
            // the median over the rounds of this thread's CPU time per query: steadier than the process's on a busy
            // machine, but without the server GC's threads (allocation is cheaper here than in the concurrent phase)
            double Cpu(Action<BenchQuery> step)
            {
                // warm: enough calls for the JIT's optimised tier of what the step runs first
                for (var w = 0; w < 5; w++) foreach (var q in set) step(q);
                var rounds = new double[repeat];
                for (var r = 0; r < repeat; r++)
                {
                    var t0 = ThreadCpu.Milliseconds();
                    foreach (var q in set) step(q);
                    rounds[r] = (ThreadCpu.Milliseconds() - t0) / set.Length;
                }

                Array.Sort(rounds);
                return rounds[repeat / 2];
            }

            var parse = Cpu(q => SearchService.Parse(q.Lucene));
            Query Scoped(BenchQuery q) => new FilteredQuery(SearchService.Parse(q.Lucene), service.ScopeFilter(scope));
            var count = Cpu(q => index.Read(s =>
            {
                var c = new TotalHitCountCollector();
                s.Search(Scoped(q), c);
                return c.TotalHits;
            }));
            var top = Cpu(q => index.Read(s =>
            {
                var c = TopScoreDocCollector.Create(20, docsScoredInOrder: false);
                s.Search(Scoped(q), c);
                return c.GetTopDocs();
            }));
            ScoreDoc[] Faceted(IndexSearcher s, Query query)
            {
                var c = TopScoreDocCollector.Create(20, docsScoredInOrder: false);
                var facets = new FacetingCollector(c, SearchService.FacetFields, [null, null, null, "open"]);
                s.Search(query, facets);
                for (var d = 0; d < SearchService.FacetFields.Length; d++) facets.Counts(d);
                return c.GetTopDocs().ScoreDocs;
            }

            var faceted = Cpu(q => index.Read(s => Faceted(s, Scoped(q))));
            var snippets = Cpu(q => index.Read(s =>
            {
                var query = SearchService.Parse(q.Lucene);
                return SearchService.PageSnippetsOf(s, query, [.. Faceted(s, new FilteredQuery(query, service.ScopeFilter(scope))).Select(d => d.Doc)]);
            }));
            var full = Cpu(q => service.Search(index, new SearchRequest(q.Lucene, scope)));
            Console.WriteLine(string.Create(inv,
                $"[profile] {cls,-9} thread cpu ms per query (median of {repeat} rounds): parse {parse:0.00}, count only {count:0.00}, top 20 {top:0.00}, top 20 + facets {faceted:0.00}, + page snippets {snippets:0.00}; SearchService.Search {full:0.00}"));
        }
    }

    /// <summary>CPU per document of the steps of indexing: analysing the page texts (with and without the compound
    /// splitter), building the Lucene document, and adding it to an in-memory index with and without offsets in the postings of the page texts.</summary>
    private static void Indexing(SearchCorpus corpus)
    {
        var inv = CultureInfo.InvariantCulture;
        var docs = Enumerable.Range(0, 300).Select(i => corpus.Document(1_000_000 + i).Entry).ToArray();
        static double Cpu(IReadOnlyList<IndexEntry> docs, Action<IndexEntry> step)
        {
            foreach (var d in docs.Take(20)) step(d);
            var t0 = Process.GetCurrentProcess().TotalProcessorTime;
            foreach (var d in docs) step(d);
            return (Process.GetCurrentProcess().TotalProcessorTime - t0).TotalMilliseconds / docs.Count;
        }

        static long Tokens(Analyzer analyzer, IndexEntry entry)
        {
            long n = 0;
            foreach (var page in entry.Pages)
            {
                using var stream = analyzer.GetTokenStream(SearchFields.Text, page);
                var term = stream.AddAttribute<ICharTermAttribute>();
                stream.Reset();
                while (stream.IncrementToken()) n += term.Length;
                stream.End();
            }

            return n;
        }

        using var withSplitter = GermanAnalysis.ForIndex();
        using var withoutSplitter = GermanAnalysis.ForQuery();
        var analyse = Cpu(docs, d => Tokens(withSplitter, d));
        var analyseNoSplit = Cpu(docs, d => Tokens(withoutSplitter, d));
        var toDocument = Cpu(docs, d => d.ToDocument());
        using var dir = new Lucene.Net.Store.RAMDirectory();
        using var writer = new IndexWriter(dir, new IndexWriterConfig(GermanAnalysis.Version, GermanAnalysis.ForIndex()) { RAMBufferSizeMB = 256 });
        var add = Cpu(docs, d => writer.AddDocument(d.ToDocument()));
        using var dir2 = new Lucene.Net.Store.RAMDirectory();
        using var writer2 = new IndexWriter(dir2, new IndexWriterConfig(GermanAnalysis.Version, GermanAnalysis.ForIndex()) { RAMBufferSizeMB = 256 });
        var addNoVectors = Cpu(docs, d =>
        {
            var doc = d.ToDocument();
            doc.RemoveFields(SearchFields.Text);
            foreach (var page in d.Pages) doc.Add(new Lucene.Net.Documents.TextField(SearchFields.Text, page, Lucene.Net.Documents.Field.Store.YES));
            writer2.AddDocument(doc);
        });
        Console.WriteLine(string.Create(inv,
            $"[profile] indexing cpu ms per doc ({docs.Length} docs): analyse pages {analyse:0.00} (without compound splitter {analyseNoSplit:0.00}), ToDocument {toDocument:0.00}, " +
            $"ToDocument+AddDocument in RAM {add:0.00} (text without offsets {addNoVectors:0.00})"));
    }
}

/// <summary>CPU time of the calling thread (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>).</summary>
internal static class ThreadCpu
{
    private const int ClockThreadCpuTime = 3;

    public static double Milliseconds()
    {
        if (!OperatingSystem.IsLinux()) return Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        _ = ClockGetTime(ClockThreadCpuTime, out var t);
        return t.Seconds * 1000.0 + t.Nanoseconds / 1e6;
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec time);
}
