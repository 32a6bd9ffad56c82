using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ECase.Domain.Common;
using Lucene.Net.Documents;
using Lucene.Net.Util;
using LuceneDocument = Lucene.Net.Documents.Document;

namespace ECase.Projections.Search;

public enum EntryKind { File, Case, Document, PlanUnit }

/// <summary>A submission as the index knows it: what a document of the case was received with.</summary>
public sealed record IndexedSubmission(Guid Id, string Subject, string? Sender, string Channel, DateTimeOffset ReceivedAt);

/// <summary>
/// What the index holds about one file, case, document or plan unit. Documents carry the file's permissions (org unit,
/// confidentiality) and status, so the permission filter is part of the query and a reclassified file's entries move
/// with it. The whole entry is stored as JSON beside the indexed fields, so the index is its own state when an event
/// changes many entries.
/// </summary>
public sealed record IndexEntry
{
    public required string Id { get; init; }
    public required EntryKind Kind { get; init; }
    public Guid FileId { get; init; }
    public Guid? CaseId { get; init; }
    public Guid? DocumentId { get; init; }

    public string OrgUnit { get; init; } = "";
    public Confidentiality Confidentiality { get; init; }
    public bool FileClosed { get; init; }
    public bool CaseClosed { get; init; }
    public long FileVersion { get; init; }

    public string Reference { get; init; } = "";
    public IReadOnlyList<string> PreviousReferences { get; init; } = [];
    public Guid PlanUnitId { get; init; }
    public string PlanCode { get; init; } = "";
    public string PlanTitle { get; init; } = "";

    public string Title { get; init; } = "";
    public string FileTitle { get; init; } = "";
    public string? CaseTitle { get; init; }
    public IReadOnlyList<IndexedSubmission> Submissions { get; init; } = [];

    public DateTimeOffset Date { get; init; }
    public bool Scanned { get; init; }
    public string? MediaType { get; init; }
    public string? FileName { get; init; }
    public int Version { get; init; }
    public int TextVersion { get; init; }

    /// <summary>Text per page (page n is at index n-1); kept in the index as <see cref="SearchFields.Pages"/>, not in the JSON.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Pages { get; init; } = [];

    public static string FileKey(Guid id) => $"file:{id}";
    public static string CaseKey(Guid id) => $"case:{id}";
    public static string DocumentKey(Guid id) => $"doc:{id}";
    public static string PlanUnitKey(Guid id) => $"plan:{id}";

    /// <summary>The "type" facet: file, case, document or scan.</summary>
    public string Type => Kind switch
    {
        EntryKind.File => "file",
        EntryKind.Case => "case",
        EntryKind.Document => Scanned ? "scan" : "document",
        _ => "plan-unit",
    };

    public string Status => FileClosed ? "closed" : "open";

    /// <summary>Page text: with offsets in the postings so snippets come from the postings of the query's words
    /// (<see cref="PageSnippets"/>) instead of analysing every page of every hit again or reading term vectors. Not
    /// stored: the texts are in <see cref="SearchFields.Pages"/>.</summary>
    private static readonly FieldType TextWithOffsets = CreateTextType();

    private static FieldType CreateTextType()
    {
        var type = new FieldType(TextField.TYPE_NOT_STORED)
        {
            IndexOptions = Lucene.Net.Index.IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS,
        };
        type.Freeze();
        return type;
    }

    /// <summary>Word pairs of the page text: positions (a phrase of three words is two pairs in a row), no offsets.</summary>
    private static readonly FieldType PairsType = CreatePairsType();

    private static FieldType CreatePairsType()
    {
        var type = new FieldType(TextField.TYPE_NOT_STORED) { IndexOptions = Lucene.Net.Index.IndexOptions.DOCS_AND_FREQS_AND_POSITIONS };
        type.Freeze();
        return type;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public LuceneDocument ToDocument()
    {
        var doc = new LuceneDocument
        {
            new StringField(SearchFields.Id, Id, Field.Store.YES),
            new StringField(SearchFields.Kind, Kind.ToString(), Field.Store.NO),
            new StringField(SearchFields.FileId, FileId.ToString(), Field.Store.NO),
            new StoredField(SearchFields.Entry, JsonSerializer.Serialize(this, Json)),
        };
        var hit = JsonSerializer.SerializeToUtf8Bytes(HitSummary(), Json);
        if (hit.Length <= MaxHitBytes) doc.Add(new BinaryDocValuesField(SearchFields.Hit, new BytesRef(hit)));
        if (CaseId is { } caseId) doc.Add(new StringField(SearchFields.CaseId, caseId.ToString(), Field.Store.NO));
        foreach (var page in Pages)
        {
            doc.Add(new Field(SearchFields.Text, page, TextWithOffsets));
            doc.Add(new Field(SearchFields.TextPairs, page, PairsType));
        }

        if (Pages.Count > 0) doc.Add(new BinaryDocValuesField(SearchFields.Pages, new BytesRef(PageTexts.Encode(Pages))));
        if (Kind == EntryKind.PlanUnit) return doc;

        doc.Add(new StringField(SearchFields.Visible, "1", Field.Store.NO));
        doc.Add(new StringField(SearchFields.OrgUnit, OrgUnit, Field.Store.NO));
        doc.Add(new StringField(SearchFields.Confidentiality, ((int)Confidentiality).ToString(CultureInfo.InvariantCulture), Field.Store.NO));

        doc.Add(new TextField(SearchFields.Title, Title, Field.Store.NO));
        foreach (var reference in PreviousReferences.Prepend(Reference).Where(r => r.Length > 0))
        {
            doc.Add(new TextField(SearchFields.Reference, reference, Field.Store.NO));
        }

        doc.Add(new TextField(SearchFields.Plan, $"{PlanCode} {PlanTitle}", Field.Store.NO));
        doc.Add(new TextField(SearchFields.Meta, MetaText(), Field.Store.NO));

        doc.Add(new SortedDocValuesField(SearchFields.FacetPlanUnit, new BytesRef(PlanCode)));
        doc.Add(new SortedDocValuesField(SearchFields.FacetYear, new BytesRef(Date.Year.ToString(CultureInfo.InvariantCulture))));
        doc.Add(new SortedDocValuesField(SearchFields.FacetType, new BytesRef(Type)));
        doc.Add(new SortedDocValuesField(SearchFields.FacetStatus, new BytesRef(Status)));
        doc.Add(new NumericDocValuesField(SearchFields.Date, Date.ToUnixTimeMilliseconds()));
        return doc;
    }

    /// <summary>Words around the entry that should find it too: its reference (split into parts), the file and case
    /// titles, and the subjects and senders of submissions.</summary>
    private string MetaText()
    {
        var parts = new List<string> { Reference, FileTitle };
        parts.AddRange(PreviousReferences);
        if (CaseTitle is not null) parts.Add(CaseTitle);
        if (FileName is not null) parts.Add(FileName);
        foreach (var s in Submissions)
        {
            parts.Add(s.Subject);
            if (s.Sender is not null) parts.Add(s.Sender);
        }

        return string.Join('\n', parts.Where(p => !string.IsNullOrEmpty(p)));
    }

    /// <summary>Binary doc values hold at most 32,766 bytes; a longer summary (absurdly long titles) is read from the stored entry.</summary>
    private const int MaxHitBytes = 32_766;

    /// <summary>The entry without what a hit does not show (submissions, previous references, plan title, file name).</summary>
    private IndexEntry HitSummary() => this with { Submissions = [], PreviousReferences = [], PlanTitle = "", FileName = null, MediaType = null, Pages = [] };

    /// <summary>The summary stored as <see cref="SearchFields.Hit"/>, or null if the document has none.</summary>
    public static IndexEntry? FromHitValue(BytesRef value) =>
        value.Length == 0 ? null : JsonSerializer.Deserialize<IndexEntry>(new ReadOnlySpan<byte>(value.Bytes, value.Offset, value.Length), Json);

    /// <summary>The entry of a stored document, with its page texts.</summary>
    internal static IndexEntry FromDocument(LuceneDocument doc, PageTexts pages) => FromDocument(doc) with { Pages = pages.All() };

    /// <summary>The entry of a stored document, without its page texts.</summary>
    public static IndexEntry FromDocument(LuceneDocument doc) =>
        JsonSerializer.Deserialize<IndexEntry>(doc.Get(SearchFields.Entry), Json)
            ?? throw new InvalidOperationException("an index document without its entry");
}
