using ECase.Domain.Common;
using ECase.Projections.Search;

namespace ECase.Search.Tests;

/// <summary>What a caller may see is part of the query: hits, totals and facet counts never include anything else.</summary>
public sealed class PermissionAndFacetTests : IDisposable
{
    private readonly TestIndex _index = new();

    public void Dispose() => _index.Dispose();

    [Fact]
    public void A_clerk_gets_no_hit_count_or_facet_value_of_another_org_unit()
    {
        _index.Document("Bauantrag Nord", ["Baugenehmigung Lindenstraße"], orgUnit: "HA", plan: "32.10.05");
        _index.Document("Bauantrag Süd", ["Baugenehmigung Lindenstraße"], orgUnit: "OA", plan: "61.01.01", date: new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero));
        _index.Commit();

        var oa = _index.Search("Baugenehmigung", TestIndex.ClerkOa);
        Assert.Equal(1, oa.Total);
        Assert.Equal("Bauantrag Süd", Assert.Single(oa.Hits).Title);
        Assert.Equal(["61.01.01"], oa.Facets["planUnit"].Select(f => f.Value));
        Assert.Equal(["2025"], oa.Facets["year"].Select(f => f.Value));
        Assert.All(oa.Facets.Values.SelectMany(v => v), f => Assert.Equal(1, f.Count));

        var ha = _index.Search("Baugenehmigung", TestIndex.ClerkHa);
        Assert.Equal("Bauantrag Nord", Assert.Single(ha.Hits).Title);
        Assert.Equal(["32.10.05"], ha.Facets["planUnit"].Select(f => f.Value));

        var registrar = _index.Search("Baugenehmigung", TestIndex.Registrar);
        Assert.Equal(2, registrar.Total);
    }

    [Fact]
    public void Entries_above_the_callers_clearance_are_invisible()
    {
        _index.Document("Personalakte", ["Abmahnung Sachbearbeiter"], confidentiality: Confidentiality.Confidential);
        _index.Commit();
        Assert.Equal(0, _index.Search("Abmahnung", TestIndex.ClerkHa).Total);
        Assert.Empty(_index.Search("Abmahnung", TestIndex.ClerkHa).Facets["type"]);
        Assert.Equal(1, _index.Search("Abmahnung", TestIndex.Registrar).Total);
    }

    [Fact]
    public void A_caller_without_org_units_sees_nothing()
    {
        _index.Document("Bauantrag", ["Baugenehmigung"]);
        _index.Commit();
        Assert.Equal(0, _index.Search("Baugenehmigung", new SearchScope([], Confidentiality.TopSecret)).Total);
        Assert.Equal(0, _index.Search("", new SearchScope([], Confidentiality.TopSecret)).Total);
    }

    [Fact]
    public void Plan_units_are_never_hits()
    {
        _index.Index.Put(new IndexEntry { Id = IndexEntry.PlanUnitKey(Guid.NewGuid()), Kind = EntryKind.PlanUnit, PlanCode = "32.10.05", PlanTitle = "Baugenehmigung" });
        _index.Commit();
        Assert.Equal(0, _index.Search("Baugenehmigung", TestIndex.Registrar).Total);
    }

    [Fact]
    public void Closed_files_are_left_out_unless_asked_for_and_the_status_facet_counts_both()
    {
        _index.Document("Offen", ["Gebührenbescheid Straßenreinigung"]);
        _index.Document("Geschlossen", ["Gebührenbescheid Straßenreinigung"], closed: true);
        _index.Commit();

        var open = _index.Search("Gebührenbescheid");
        Assert.Equal("Offen", Assert.Single(open.Hits).Title);
        Assert.Equal([("closed", 1), ("open", 1)], open.Facets["status"].Select(f => (f.Value, f.Count)).Order());

        Assert.Equal("Geschlossen", Assert.Single(_index.Search("Gebührenbescheid", status: "closed").Hits).Title);
        Assert.Equal(2, _index.Search("Gebührenbescheid", status: "all").Total);
    }

    [Fact]
    public void Facet_selections_narrow_the_hits_and_each_facet_still_shows_its_other_values()
    {
        _index.Document("A", ["Sondernutzung Markt"], plan: "32.10.05", date: new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _index.Document("B", ["Sondernutzung Markt"], plan: "32.10.05", date: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), scanned: true);
        _index.Document("C", ["Sondernutzung Markt"], plan: "61.01.01", date: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _index.Commit();

        var result = _index.Search("Sondernutzung", planUnit: "32.10.05", year: "2026");
        Assert.Equal("B", Assert.Single(result.Hits).Title);
        Assert.Equal(1, result.Total);
        // plan unit counted with the year selection only: both 2026 documents
        Assert.Equal([("32.10.05", 1), ("61.01.01", 1)], result.Facets["planUnit"].Select(f => (f.Value, f.Count)).Order());
        // year counted with the plan unit selection only: 2024 and 2026 of 32.10.05
        Assert.Equal([("2024", 1), ("2026", 1)], result.Facets["year"].Select(f => (f.Value, f.Count)).Order());
        // type counted with both selections
        Assert.Equal([("scan", 1)], result.Facets["type"].Select(f => (f.Value, f.Count)));

        Assert.Equal(0, _index.Search("Sondernutzung", planUnit: "99.99.99").Total);
    }

    [Fact]
    public void Sorting_by_date_orders_hits_newest_first_or_oldest_first()
    {
        _index.Document("Mitte", ["Einbürgerung"], date: new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _index.Document("Neu", ["Einbürgerung"], date: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _index.Document("Alt", ["Einbürgerung"], date: new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _index.Commit();
        Assert.Equal(["Neu", "Mitte", "Alt"], _index.Search("Einbürgerung", sort: SearchSort.Date).Hits.Select(h => h.Title));
        Assert.Equal(["Alt", "Mitte", "Neu"], _index.Search("Einbürgerung", sort: SearchSort.DateAscending).Hits.Select(h => h.Title));
    }

    [Fact]
    public void The_position_and_entries_survive_a_reopen_and_uncommitted_entries_do_not()
    {
        var kept = _index.Document("Bleibt", ["Hundesteuer"]);
        _index.Index.Commit(41);
        _index.Document("Verloren", ["Hundesteuer"]);
        _index.Index.Rollback();
        _index.Reopen();

        Assert.Equal(41, _index.Index.Position);
        Assert.Equal(kept.DocumentId, Assert.Single(_index.Search("Hundesteuer").Hits).DocumentId);
    }

    [Theory]
    [InlineData("Baulast")]
    [InlineData("\"Baulast eingetragen\"")]
    [InlineData("Baul*")]
    public void A_scope_of_a_few_documents_among_many_and_one_of_most_are_both_kept_with_replaced_entries_counted_once(string query)
    {
        // 1 of 150 documents is HA's (the scope leads), 149 are OA's (the scope's bits are tested per posting)
        var ha = _index.Document("Grundbuch", ["Die Baulast eingetragen."], orgUnit: "HA", plan: "32.10.05");
        var oa = Enumerable.Range(0, 149).Select(i => _index.Document($"Vermerk {i}", ["Die Baulast eingetragen."], orgUnit: "OA", plan: "61.01.01")).ToList();
        _index.Commit();
        // replaced entries: their old documents are deleted, not yet merged away
        foreach (var entry in oa.Take(20)) _index.Index.Put(entry with { Title = entry.Title + " neu" });
        _index.Index.Put(ha with { Title = "Grundbuch neu" });
        _index.Commit();

        var clerkHa = _index.Search(query, TestIndex.ClerkHa);
        Assert.Equal(1, clerkHa.Total);
        Assert.Equal("Grundbuch neu", Assert.Single(clerkHa.Hits).Title);
        Assert.Equal([("32.10.05", 1)], clerkHa.Facets["planUnit"].Select(f => (f.Value, f.Count)));

        var clerkOa = _index.Search(query, TestIndex.ClerkOa);
        Assert.Equal(149, clerkOa.Total);
        Assert.Equal([("61.01.01", 149)], clerkOa.Facets["planUnit"].Select(f => (f.Value, f.Count)));
        Assert.Equal(150, _index.Search(query, TestIndex.Registrar).Total);
    }

    [Fact]
    public void A_hit_shows_what_its_entry_says()
    {
        var entry = new IndexEntry
        {
            Id = IndexEntry.DocumentKey(Guid.NewGuid()),
            Kind = EntryKind.Document,
            FileId = Guid.NewGuid(),
            CaseId = Guid.NewGuid(),
            DocumentId = Guid.NewGuid(),
            OrgUnit = "HA",
            FileClosed = true,
            Reference = "HA-32.10.05-0007/2026",
            PlanCode = "32.10.05",
            Title = "Schreiben „Müller“",
            FileTitle = "Bauantrag Lindenstraße",
            CaseTitle = "Nachforderung",
            Date = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.FromHours(1)),
            Scanned = true,
            Version = 3,
            Pages = ["Die Baulast ist eingetragen."],
        };
        _index.Index.Put(entry);
        _index.Commit();

        var hit = Assert.Single(_index.Search("Baulast", status: "all").Hits);
        Assert.Equal(
            ("scan", entry.FileId, entry.CaseId, entry.DocumentId, "HA-32.10.05-0007/2026", "Schreiben „Müller“", "Bauantrag Lindenstraße", "Nachforderung", "32.10.05", "closed", entry.Date, (int?)3, (int?)1),
            (hit.Type, hit.FileId, hit.CaseId, hit.DocumentId, hit.Reference, hit.Title, hit.FileTitle, hit.CaseTitle, hit.PlanUnit, hit.Status, hit.Date, hit.Version, hit.Page));
        Assert.Equal(entry.Date.Offset, hit.Date.Offset);
    }

    [Fact]
    public void Putting_an_entry_twice_keeps_one_document()
    {
        var entry = _index.Document("Einmal", ["Parkausweis"]);
        _index.Index.Put(entry with { Title = "Einmal geändert" });
        _index.Commit();
        _index.Index.Put(entry with { Title = "Einmal geändert" });
        _index.Commit();
        Assert.Equal("Einmal geändert", Assert.Single(_index.Search("Parkausweis").Hits).Title);
        Assert.Equal(1, _index.Index.DocumentCount);
    }

    [Fact]
    public void Listing_a_case_sees_what_was_put_moved_and_deleted_since_the_last_commit()
    {
        var a = _index.Document("Erster Brief", ["Lageplan"]);
        var caseId = a.CaseId!.Value;
        var b = _index.Document("Zweiter Brief", ["Lageplan"]) with { CaseId = caseId, FileId = a.FileId };
        var moved = _index.Document("Dritter Brief", ["Lageplan"]) with { CaseId = caseId, FileId = a.FileId };
        _index.Index.Put(b);
        _index.Index.Put(moved);
        _index.Commit();
        string[] Titles(string field, Guid id) => [.. _index.Index.All(field, id).Select(e => e.Title).Order(StringComparer.Ordinal)];
        Assert.Equal(["Dritter Brief", "Erster Brief", "Zweiter Brief"], Titles(SearchFields.CaseId, caseId));

        // uncommitted: one changed, one deleted, one moved to another case, one new
        _index.Index.Put(a with { Title = "Erster Brief, geändert" });
        _index.Index.Delete(b.Id);
        _index.Index.Put(moved with { CaseId = Guid.NewGuid() });
        var added = _index.Document("Vierter Brief", ["Lageplan"]) with { CaseId = caseId, FileId = a.FileId };
        _index.Index.Put(added);

        Assert.Equal(["Erster Brief, geändert", "Vierter Brief"], Titles(SearchFields.CaseId, caseId));
        Assert.Equal(["Dritter Brief", "Erster Brief, geändert", "Vierter Brief"], Titles(SearchFields.FileId, a.FileId));
        _index.Commit();
        Assert.Equal(["Erster Brief, geändert", "Vierter Brief"], Titles(SearchFields.CaseId, caseId));
    }
}
