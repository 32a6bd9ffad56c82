using ECase.Projections.Search;

namespace ECase.Search.Tests;

/// <summary>A rebuilt index is compacted into one segment; searches, facets and the position are those of before.</summary>
public sealed class CompactionTests : IDisposable
{
    private readonly TestIndex _index = new();

    public void Dispose() => _index.Dispose();

    private string Snapshot(string query)
    {
        // by date: equal scores may come in another order once the segments are one (document numbers change)
        var r = _index.Search(query, TestIndex.Registrar, status: "all", sort: SearchSort.Date);
        return $"{r.Total} | {string.Join(",", r.Hits.Select(h => $"{h.Title}:{h.Page}:{h.Snippet}"))} | "
            + string.Join(";", r.Facets.Select(f => $"{f.Key}={string.Join(",", f.Value.Select(v => $"{v.Value}:{v.Count}"))}"));
    }

    [Fact]
    public void Compacting_leaves_one_segment_with_the_same_results_and_position()
    {
        for (var i = 0; i < 6; i++)
        {
            _index.Document($"Vermerk {i}", [$"Die sofortige Vollziehung wird angeordnet, Frist {i}.", "Antrag auf Baugenehmigung"],
                plan: i % 2 == 0 ? "32.10.05" : "61.01.01", closed: i == 5, date: new DateTimeOffset(2020 + i, 1, 1, 0, 0, 0, TimeSpan.Zero));
            _index.Commit();
        }

        string[] queries = ["Antrag", "\"sofortige Vollziehung\"", "Baugen*", "Vermerk"];
        var before = queries.Select(Snapshot).ToArray();
        var position = _index.Index.Position;
        Assert.True(_index.Index.Read(s => s.IndexReader.Leaves.Count) > 1);

        _index.Index.Compact();

        Assert.Equal(1, _index.Index.Read(s => s.IndexReader.Leaves.Count));
        Assert.Equal(before, queries.Select(Snapshot));
        _index.Reopen();
        Assert.Equal(position, _index.Index.Position);
        Assert.Equal(before, queries.Select(Snapshot));
    }

    [Fact]
    public void Uncommitted_entries_are_not_compacted_into_the_last_commit()
    {
        _index.Document("Vermerk", ["Antrag"]);
        Assert.Throws<InvalidOperationException>(_index.Index.Compact);
    }
}
