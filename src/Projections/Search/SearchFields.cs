namespace ECase.Projections.Search;

/// <summary>Field names of the Lucene documents (one per file, case, document and plan unit).</summary>
public static class SearchFields
{
    // keys and filters (not analysed)
    public const string Id = "id";
    public const string Kind = "kind";
    public const string FileId = "file_id";
    public const string CaseId = "case_id";
    public const string OrgUnit = "org_unit";
    public const string Confidentiality = "conf";
    public const string Visible = "visible";

    // searched (analysed)
    public const string Title = "title";
    public const string Reference = "ref";
    public const string Meta = "meta";
    public const string Plan = "plan";
    public const string Text = "text";

    /// <summary>Adjacent word pairs of the page texts, for exact phrases (<see cref="WordPairs"/>); not searched directly.</summary>
    public const string TextPairs = "text_pairs";

    // facets (sorted doc values) and sorting
    public const string FacetPlanUnit = "f_plan";
    public const string FacetYear = "f_year";
    public const string FacetType = "f_type";
    public const string FacetStatus = "f_status";
    public const string Date = "date";

    /// <summary>The entry as JSON, to rebuild the document when a file is reclassified, renamed or closed.</summary>
    public const string Entry = "entry";

    /// <summary>What a hit shows of its entry (a compact binary form in binary doc values): read per hit instead of the
    /// stored entry.</summary>
    public const string Hit = "hit";

    /// <summary>The page texts, uncompressed in binary doc values (<see cref="PageTexts"/>): read by the snippet of a hit
    /// and when an entry is read back; the searched field <see cref="Text"/> does not store them.</summary>
    public const string Pages = "pages";

    public static readonly string[] Searched = [Title, Reference, Meta, Plan, Text];

    public static readonly IReadOnlyDictionary<string, float> Boosts = new Dictionary<string, float>
    {
        [Reference] = 5f,
        [Title] = 3f,
        [Meta] = 1.5f,
        [Plan] = 1f,
        [Text] = 1f,
    };
}
