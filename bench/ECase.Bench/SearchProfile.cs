using System.Diagnostics;
using System.Globalization;
using ECase.Projections.Search;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.VectorHighlight;

namespace ECase.Bench;

/// <summary>Diagnostic (<c>--phases index,profile</c>): CPU per query class of each step of a search, one thread.</summary>
public static class SearchProfile
{
    public static void Run(SearchIndex index, SearchService service, IReadOnlyList<BenchQuery> queries, int repeat)
    {
        var inv = CultureInfo.InvariantCulture;
        var scope = SearchBenchmark.ClerkScope;
        var filter = new CachingWrapperFilter(new QueryWrapperFilter(new BooleanQuery
        {
            { new TermQuery(new Term(SearchFields.OrgUnit, scope.OrgUnits![0])), Occur.MUST },
        }));
        // Per hit: the steps of turning a top doc into a SearchHit, over the top 20 of the broad queries.
        var broad = queries.Where(q => q.Class == "broad").ToArray();
        var entryOnly = new HashSet<string> { SearchFields.Entry };
        index.Read(s =>
        {
            var fvh = new FastVectorHighlighter(true, true);
            var work = broad.Select(q => (Fq: fvh.GetFieldQuery(SearchService.Parse(q.Lucene), s.IndexReader),
                Docs: s.Search(new FilteredQuery(SearchService.Parse(q.Lucene), filter), 20).ScoreDocs.Select(d => d.Doc).ToArray())).ToArray();
            var hits = work.Sum(w => w.Docs.Length) * repeat;
            double PerHit(Action<FieldQuery, int> step)
            {
                foreach (var w in work) foreach (var d in w.Docs) step(w.Fq, d);
                var t0 = Process.GetCurrentProcess().TotalProcessorTime;
                for (var r = 0; r < repeat; r++) foreach (var w in work) foreach (var d in w.Docs) step(w.Fq, d);
                return (Process.GetCurrentProcess().TotalProcessorTime - t0).TotalMilliseconds / hits;
            }

            var entryDoc = PerHit((_, d) => s.Doc(d, entryOnly));
            var json = PerHit((_, d) => IndexEntry.FromDocument(s.Doc(d, entryOnly)));
            var fullDoc = PerHit((_, d) => s.Doc(d));
            var vector = PerHit((_, d) =>
            {
                var terms = s.IndexReader.GetTermVector(d, SearchFields.Text)?.GetEnumerator();
                while (terms is not null && terms.MoveNext()) { }
            });
            var snippet = PerHit((fq, d) => fvh.GetBestFragment(fq, s.IndexReader, d, SearchFields.Text, 200));
            Console.WriteLine(string.Create(inv,
                $"[profile] per hit (broad, {hits} hits) cpu ms: stored entry only {entryDoc:0.000}, + JSON {json:0.000}, whole stored doc {fullDoc:0.000}, term vector terms {vector:0.000}, fvh best fragment {snippet:0.000}"));
            return 0;
        });

        foreach (var cls in SearchCorpus.Classes)
        {
            var set = queries.Where(q => q.Class == cls).ToArray();
            double Cpu(Action<BenchQuery> step)
            {
                foreach (var q in set) step(q);
                var t0 = Process.GetCurrentProcess().TotalProcessorTime;
                for (var r = 0; r < repeat; r++) foreach (var q in set) step(q);
                return (Process.GetCurrentProcess().TotalProcessorTime - t0).TotalMilliseconds / (repeat * set.Length);
            }

            var parse = Cpu(q => SearchService.Parse(q.Lucene));
            var search = Cpu(q => index.Read(s => s.Search(new FilteredQuery(SearchService.Parse(q.Lucene), filter), 20)));
            var count = Cpu(q => index.Read(s =>
            {
                var c = new TotalHitCountCollector();
                s.Search(new FilteredQuery(SearchService.Parse(q.Lucene), filter), c);
                return c.TotalHits;
            }));
            var load = Cpu(q => index.Read(s =>
            {
                foreach (var d in s.Search(new FilteredQuery(SearchService.Parse(q.Lucene), filter), 20).ScoreDocs) IndexEntry.FromDocument(s.Doc(d.Doc));
                return 0;
            }));
            var fvh = new FastVectorHighlighter(true, true);
            var fieldQuery = Cpu(q => index.Read(s => fvh.GetFieldQuery(SearchService.Parse(q.Lucene), s.IndexReader)));
            var snippets = Cpu(q => index.Read(s =>
            {
                var query = SearchService.Parse(q.Lucene);
                var fq = fvh.GetFieldQuery(query, s.IndexReader);
                foreach (var d in s.Search(new FilteredQuery(query, filter), 20).ScoreDocs)
                    fvh.GetBestFragment(fq, s.IndexReader, d.Doc, SearchFields.Text, 200);
                return 0;
            }));
            var full = Cpu(q => service.Search(index, new SearchRequest(q.Lucene, scope)));
            Console.WriteLine(string.Create(inv,
                $"[profile] {cls,-9} cpu ms per query: parse {parse:0.00}, top-20 search {search:0.00}, count only {count:0.00}, +load 20 entries {load:0.00}, fieldquery {fieldQuery:0.00}, search+fvh snippets {snippets:0.00}; SearchService.Search {full:0.00}"));
        }
    }
}
