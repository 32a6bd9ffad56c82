using ECase.Projections.Search;

namespace ECase.Search.Tests;

/// <summary>German words as clerks type them: umlauts and ß either way, plural and compounds, phrases, prefixes, references.</summary>
public sealed class GermanSearchTests : IDisposable
{
    private readonly TestIndex _index = new();
    private readonly IndexEntry _letter;
    private readonly IndexEntry _other;

    public GermanSearchTests()
    {
        _letter = _index.Document("Schreiben an Herrn Müller", [
            "Sehr geehrter Herr Müller, zu Ihren Bauanträgen für das Grundstück an der Lindenstraße teilen wir mit:",
            "Die Baugenehmigung wird erteilt. Gegen diesen Bescheid ist der Widerspruch zulässig.",
        ]);
        _other = _index.Document("Vermerk Gewerbeanmeldung", ["Die Gewerbeanmeldung der Bäckerei Schulze wurde geprüft."], reference: "HA-11.02.01-0042/2025", plan: "11.02.01");
        _index.Commit();
    }

    public void Dispose() => _index.Dispose();

    private void AssertFinds(string query, params IndexEntry[] expected)
    {
        var result = _index.Search(query);
        Assert.True(
            expected.Select(e => e.DocumentId).Order().SequenceEqual(result.Hits.Select(h => h.DocumentId).Order()),
            $"'{query}' found [{string.Join(", ", result.Hits.Select(h => h.Title))}], expected [{string.Join(", ", expected.Select(e => e.Title))}]");
        Assert.Equal(expected.Length, result.Total);
    }

    [Theory]
    [InlineData("Lindenstraße")]
    [InlineData("Lindenstrasse")]
    [InlineData("lindenstrasse")]
    [InlineData("Mueller")]
    [InlineData("Müller")]
    [InlineData("muller")]
    public void Umlauts_and_sharp_s_match_both_ways(string query) => AssertFinds(query, _letter);

    [Theory]
    [InlineData("Bauantrag")]
    [InlineData("Bauanträge")]
    [InlineData("bauantraege")]
    [InlineData("Antrag")]
    [InlineData("Genehmigung")]
    [InlineData("Grundstücke")]
    public void Plural_forms_and_compound_parts_match(string query) => AssertFinds(query, _letter);

    [Fact]
    public void A_compound_in_the_query_is_not_split_so_its_parts_alone_do_not_match()
    {
        AssertFinds("Gewerbeanmeldung", _other);
        AssertFinds("Baugenehmigung", _letter);
        // "Anmeldung" is a part of Gewerbeanmeldung, but the query "Bauanmeldung" must not match via "anmeldung".
        AssertFinds("Bauanmeldung");
    }

    [Fact]
    public void Phrases_match_words_in_order_only()
    {
        AssertFinds("\"Bescheid ist der Widerspruch\"", _letter);
        AssertFinds("\"Widerspruch ist der Bescheid\"");
        AssertFinds("\"Bescheid Widerspruch\"");
        AssertFinds("\"Baugenehmigung wird erteilt\"", _letter);
    }

    [Fact]
    public void A_phrase_does_not_span_two_pages()
    {
        // "…an der Lindenstraße teilen wir mit:" ends page 1, "Die Baugenehmigung…" starts page 2.
        AssertFinds("\"teilen wir mit. Die Baugenehmigung\"");
        AssertFinds("\"Die Baugenehmigung wird erteilt\"", _letter);
    }

    [Fact]
    public void A_phrase_of_adjacent_words_matches_in_order_folded_and_stemmed_like_single_words()
    {
        var entry = _index.Document("Vermerk Vollziehung", [
            "Die sofortige Vollziehung der Verfügung wird angeordnet. Antrag",
            "Bescheid über die Straßenreinigung folgt.",
        ]);
        _index.Commit();

        Assert.Contains($"{SearchFields.TextPairs}:sofortig vollziehung", SearchService.Parse("\"sofortige Vollziehung\"").ToString(), StringComparison.Ordinal);
        AssertFinds("\"sofortige Vollziehung\"", entry);
        AssertFinds("\"Sofortigen Vollziehungen\"", entry);
        AssertFinds("\"sofortige Vollziehung Verfügung\"");
        AssertFinds("\"Vollziehung sofortige\"");
        AssertFinds("\"sofortige Vollziehung der Verfügung\"", entry);
        AssertFinds("\"Geehrter Herr Mueller\"", _letter);
        AssertFinds("\"Herr geehrter Müller\"");
        AssertFinds("\"Strassenreinigung folgt\"", entry);
        // the last word of page 1 and the first of page 2 are not a pair
        AssertFinds("\"Antrag Bescheid\"");
        // a compound part is not a word of a pair
        AssertFinds("\"reinigung folgt\"");
    }

    [Theory]
    [InlineData("Bauantr*")]
    [InlineData("Lindenstra*")]
    [InlineData("Lindenstraß*")]
    [InlineData("Müll*")]
    [InlineData("Muell*")]
    public void Prefixes_are_folded_like_words(string query) => AssertFinds(query, _letter);

    [Theory]
    [InlineData("HA-32.10.05-0007/2026")]
    [InlineData("ha-32.10.05-0007/2026")]
    [InlineData("32.10.05")]
    [InlineData("0007/2026")]
    [InlineData("ref:\"HA-32.10.05-0007/2026\"")]
    public void Reference_numbers_match_whole_and_in_parts(string query) => AssertFinds(query, _letter);

    [Theory]
    [InlineData("HA-32.10.05*")]
    [InlineData("ha-32.10*")]
    [InlineData("32.10*")]
    public void Reference_numbers_match_by_prefix(string query) => AssertFinds(query, _letter);

    [Fact]
    public void All_words_must_match()
    {
        AssertFinds("Müller Bescheid", _letter);
        AssertFinds("Müller Bäckerei");
        AssertFinds("Müller OR Bäckerei", _letter, _other);
    }

    [Fact]
    public void The_snippet_names_the_page_and_marks_the_words()
    {
        var hit = Assert.Single(_index.Search("Widerspruch").Hits);
        Assert.Equal(2, hit.Page);
        Assert.Contains("<mark>Widerspruch</mark>", hit.Snippet, StringComparison.Ordinal);

        hit = Assert.Single(_index.Search("Lindenstrasse").Hits);
        Assert.Equal(1, hit.Page);
        Assert.Contains("<mark>Lindenstraße</mark>", hit.Snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void A_phrase_is_marked_where_its_words_stand_together_and_a_prefix_at_its_expansions()
    {
        var entry = _index.Document("Aktenvermerk", [
            "Die Frist wurde nicht verlängert.",
            "Ein Wort vorab. Die Frist verlängert sich um zwei Wochen; Frist und Termin bleiben.",
        ]);
        _index.Commit();

        var hit = Assert.Single(_index.Search("\"Frist verlängert\"").Hits, h => h.DocumentId == entry.DocumentId);
        Assert.Equal(2, hit.Page);
        Assert.Contains("<mark>Frist verlängert</mark>", hit.Snippet, StringComparison.Ordinal);
        Assert.Contains("Frist und Termin", hit.Snippet, StringComparison.Ordinal); // the word alone is not marked

        hit = Assert.Single(_index.Search("Lindenstr*").Hits);
        Assert.Equal(1, hit.Page);
        Assert.Contains("<mark>Lindenstraße</mark>", hit.Snippet, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Vermerk", "<mark>Vermerk</mark> Gewerbeanmeldung &amp; Co.")]
    [InlineData("Verm*", "<mark>Vermerk</mark> Gewerbeanmeldung &amp; Co.")]
    [InlineData("Vermerk Gewerbeanmeldung", "<mark>Vermerk</mark> <mark>Gewerbeanmeldung</mark> &amp; Co.")]
    [InlineData("\"Vermerk Gewerbeanmeldung\"", "<mark>Vermerk Gewerbeanmeldung</mark> &amp; Co.")]
    [InlineData("Anmeldung", "Vermerk <mark>Gewerbeanmeldung</mark> &amp; Co.")]
    [InlineData("Vermerk~1", "<mark>Vermerk</mark> Gewerbeanmeldung &amp; Co.")]
    public void A_hit_without_the_words_on_its_pages_shows_its_title_marked(string query, string snippet)
    {
        var entry = _index.Document("Vermerk Gewerbeanmeldung & Co.", ["Die Bäckerei wurde geprüft."], orgUnit: "OA");
        _index.Commit();
        var hit = Assert.Single(_index.Search(query, TestIndex.ClerkOa).Hits, h => h.DocumentId == entry.DocumentId);
        Assert.Null(hit.Page);
        Assert.Equal(snippet, hit.Snippet);
    }

    [Fact]
    public void A_snippet_deep_in_a_page_of_umlauts_and_emoji_comes_out_whole()
    {
        var before = string.Concat(Enumerable.Repeat("Größe 😀 Ärger ", 300));
        var after = string.Concat(Enumerable.Repeat(" Straße 🏛️ Öl", 300));
        var entry = _index.Document("Notiz", ["kurz", before + "Zielwort" + after]);
        _index.Commit();
        var hit = Assert.Single(_index.Search("Zielwort").Hits, h => h.DocumentId == entry.DocumentId);
        Assert.Equal(2, hit.Page);
        Assert.Contains("Ärger <mark>Zielwort</mark> Straße 🏛️ Öl", hit.Snippet, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFFFD', hit.Snippet!);
        Assert.InRange(hit.Snippet!.Length, 180, 260);
    }

    [Fact]
    public void Snippets_are_html_escaped()
    {
        var entry = _index.Document("Notiz", ["Firma <script>alert(1)</script> & Söhne beantragt Sondernutzung"]);
        _index.Commit();
        var hit = Assert.Single(_index.Search("Sondernutzung").Hits, h => h.DocumentId == entry.DocumentId);
        Assert.DoesNotContain("<script>", hit.Snippet, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", hit.Snippet, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"unclosed phrase")]
    [InlineData("title:(")]
    [InlineData("*leading")]
    [InlineData("AND")]
    public void A_query_that_does_not_parse_is_a_query_error_not_a_crash(string query)
    {
        var e = Assert.Throws<SearchQueryException>(() => _index.Search(query));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }
}
