using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace ECase.Projections.Search;

/// <summary>
/// One Lucene index on disk: its writer, a near-real-time searcher, and the position in the event log up to which it
/// holds every event. The position is committed atomically with the documents (Lucene commit user data), so after a
/// crash the index resumes from its last commit; entries are keyed, so an event applied twice changes nothing.
/// </summary>
public sealed class SearchIndex : IDisposable
{
    private const string PositionKey = "ecase.position";
    private const string FormatKey = "ecase.format";

    /// <summary>Bumped when documents change shape; an index of another format is rebuilt at start-up.</summary>
    public const string Format = "8";

    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly Dictionary<string, IndexEntry?> _pending = [];
    private int _leases;
    private bool _retired;
    private bool _disposed;

    public SearchIndex(string path)
    {
        Path = path;
        System.IO.Directory.CreateDirectory(path);
        _directory = FSDirectory.Open(new System.IO.DirectoryInfo(path));
        var config = new IndexWriterConfig(GermanAnalysis.Version, GermanAnalysis.ForIndex())
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            RAMBufferSizeMB = 64,
        };
        _writer = new IndexWriter(_directory, config);
        var data = _writer.CommitData;
        Position = data.TryGetValue(PositionKey, out var p) ? long.Parse(p, CultureInfo.InvariantCulture) : 0;
        IndexFormat = data.TryGetValue(FormatKey, out var f) ? f : (Position == 0 ? Format : "0");
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, new SearcherFactory());
    }

    public string Path { get; }

    /// <summary>The last event sequence number whose effects are committed.</summary>
    public long Position { get; private set; }

    public string IndexFormat { get; }

    public DateTimeOffset? LastCommitAt { get; private set; }

    /// <summary>Entries the next commit will hold, visible to lookups of the projector at once.</summary>
    public void Put(IndexEntry entry)
    {
        _writer.UpdateDocument(new Term(SearchFields.Id, entry.Id), entry.ToDocument());
        _pending[entry.Id] = entry;
    }

    public void Delete(string id)
    {
        _writer.DeleteDocuments(new Term(SearchFields.Id, id));
        _pending[id] = null;
    }

    public IndexEntry? Get(string id)
    {
        if (_pending.TryGetValue(id, out var pending)) return pending;
        return Find(new TermQuery(new Term(SearchFields.Id, id)), 1).FirstOrDefault();
    }

    /// <summary>
    /// Every entry of a file or case (<see cref="SearchFields.FileId"/> or <see cref="SearchFields.CaseId"/>), pending ones
    /// included: the searcher of the last commit, overlaid with what was put or deleted since. (Reopening the searcher
    /// instead flushed a tiny segment for every closed case or changed file, and the merges that followed were most of the
    /// live indexer's CPU.)
    /// </summary>
    public IReadOnlyList<IndexEntry> All(string field, Guid id)
    {
        Func<IndexEntry, bool> matches = field switch
        {
            SearchFields.FileId => e => e.FileId == id,
            SearchFields.CaseId => e => e.CaseId == id,
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "entries are listed by file or case"),
        };
        var committed = Find(new TermQuery(new Term(field, id.ToString())), int.MaxValue);
        if (_pending.Count == 0) return committed;
        var all = committed.Where(e => !_pending.ContainsKey(e.Id)).ToList();
        all.AddRange(_pending.Values.OfType<IndexEntry>().Where(matches));
        return all;
    }

    private List<IndexEntry> Find(Query query, int max)
    {
        var searcher = _searchers.Acquire();
        try
        {
            var top = searcher.Search(query, Math.Min(max, Math.Max(1, searcher.IndexReader.MaxDoc)));
            return [.. top.ScoreDocs.Select(d => IndexEntry.FromDocument(searcher.Doc(d.Doc), PageTexts.Of(searcher.IndexReader, d.Doc)))];
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>Makes everything put so far durable together with the position, and visible to searches.</summary>
    public void Commit(long position)
    {
        _writer.SetCommitData(new Dictionary<string, string>
        {
            [PositionKey] = position.ToString(CultureInfo.InvariantCulture),
            [FormatKey] = Format,
            ["ecase.committed-at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        });
        _writer.Commit();
        // The position is published only once searches see the commit: whoever waits for it (WaitForAsync) may search at once.
        _searchers.MaybeRefreshBlocking();
        _pending.Clear();
        LastCommitAt = DateTimeOffset.UtcNow;
        Position = position;
    }

    /// <summary>
    /// Merges the index into one segment and commits it, the position unchanged: the end of a bulk build (a rebuild),
    /// so that a search pays the fixed costs of a segment (its terms looked up per field, enumerators, facet table) once
    /// instead of once per segment the build left behind. Takes minutes for a large index; nothing may be pending.
    /// </summary>
    public void Compact()
    {
        if (_pending.Count > 0) throw new InvalidOperationException("The index has uncommitted entries; commit them before compacting.");
        _writer.ForceMerge(1);
        Commit(Position);
    }

    /// <summary>Drops everything put since the last commit, as a crash would, and closes the index.</summary>
    public void Rollback()
    {
        lock (_searchers)
        {
            if (_disposed) return;
            _disposed = true;
            _pending.Clear();
            _searchers.Dispose();
            _writer.Rollback();
            _directory.Dispose();
        }
    }

    /// <summary>Runs a read against the current searcher.</summary>
    public T Read<T>(Func<IndexSearcher, T> read)
    {
        var searcher = _searchers.Acquire();
        try
        {
            return read(searcher);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    public int DocumentCount => Read(s => s.IndexReader.NumDocs);

    /// <summary>Keeps the index open while a caller uses it, even if it is swapped out meanwhile.</summary>
    public bool TryLease()
    {
        lock (_searchers)
        {
            if (_retired) return false;
            _leases++;
            return true;
        }
    }

    public void Return()
    {
        lock (_searchers)
        {
            _leases--;
            if (_retired && _leases == 0) DisposeCore();
        }
    }

    /// <summary>Swapped out by a rebuild: closes when the last lease returns.</summary>
    public void Retire()
    {
        lock (_searchers)
        {
            _retired = true;
            if (_leases == 0) DisposeCore();
        }
    }

    public void Dispose()
    {
        lock (_searchers) DisposeCore();
    }

    private void DisposeCore()
    {
        if (_disposed) return;
        _disposed = true;
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
    }
}
