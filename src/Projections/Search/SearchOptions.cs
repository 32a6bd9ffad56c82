namespace ECase.Projections.Search;

/// <summary>Configuration section "Search".</summary>
public sealed class SearchOptions
{
    public const string Section = "Search";

    /// <summary>Folder of the index (a projection: deleting it is safe, it is rebuilt from the events).</summary>
    public string Path { get; set; } = ".ecase/search";

    /// <summary>Run the indexer in this process (false: search what the index holds, do not feed it).</summary>
    public bool Indexing { get; set; } = true;

    /// <summary>Events read and committed per batch.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>How often an idle indexer looks for new events.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a hole in the event sequence may stay open before the indexer moves past it. A hole is a transaction
    /// still committing (it fills within milliseconds) or one that rolled back (it never fills). A hole that fills
    /// after all is applied late (see <see cref="SearchIndexHost"/>), so nothing is lost either way.
    /// </summary>
    public TimeSpan GapTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Searches that run at the same time; more wait their turn (0: one per processor). A search is CPU work of a few
    /// milliseconds, so running more than the cores can take only makes every one of them slower: the scheduler
    /// slices them, and a search that loses its core waits several of its own lengths for it (ADR 0022).
    /// </summary>
    public int MaxConcurrentSearches { get; set; }
}
