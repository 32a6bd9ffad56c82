using ECase.Domain.Common;
using ECase.Projections.Search;

namespace ECase.Search.Tests;

/// <summary>A real Lucene index in a temporary folder, filled with entries as the projector would write them.</summary>
public sealed class TestIndex : IDisposable
{
    public static readonly SearchScope ClerkHa = new(["HA"], Confidentiality.Restricted);
    public static readonly SearchScope ClerkOa = new(["OA"], Confidentiality.Restricted);
    public static readonly SearchScope Registrar = new(null, Confidentiality.Confidential);

    private readonly string _path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-search-test-{Guid.NewGuid():N}");
    private readonly SearchService _service = new();

    public TestIndex() => Index = new SearchIndex(_path);

    public SearchIndex Index { get; private set; }

    public string Path => _path;

    public IndexEntry Document(
        string title, string[] pages, string orgUnit = "HA", Confidentiality confidentiality = Confidentiality.Open, string plan = "32.10.05",
        string reference = "HA-32.10.05-0007/2026", bool closed = false, DateTimeOffset? date = null, bool scanned = false)
    {
        var fileId = Guid.NewGuid();
        var entry = new IndexEntry
        {
            Id = IndexEntry.DocumentKey(Guid.NewGuid()),
            Kind = EntryKind.Document,
            FileId = fileId,
            CaseId = Guid.NewGuid(),
            OrgUnit = orgUnit,
            Confidentiality = confidentiality,
            FileClosed = closed,
            Reference = reference,
            PlanCode = plan,
            PlanTitle = plan == "32.10.05" ? "Bauanträge" : "Allgemeines",
            Title = title,
            FileTitle = "Akte " + title,
            Date = date ?? new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero),
            Scanned = scanned,
            Version = 1,
            Pages = pages,
        };
        Index.Put(entry);
        return entry;
    }

    public void Commit() => Index.Commit(Index.Position + 1);

    public SearchResult Search(string q, SearchScope? scope = null, string? status = "open", string? planUnit = null, string? year = null, string? type = null, SearchSort sort = SearchSort.Relevance) =>
        _service.Search(Index, new SearchRequest(q, scope ?? ClerkHa, Sort: sort, PlanUnit: planUnit, Year: year, Type: type, Status: status));

    /// <summary>Closes and opens the index again from disk (what a restart sees).</summary>
    public void Reopen()
    {
        Index.Dispose();
        Index = new SearchIndex(_path);
    }

    public void Dispose()
    {
        Index.Dispose();
        if (System.IO.Directory.Exists(_path)) System.IO.Directory.Delete(_path, recursive: true);
    }
}
