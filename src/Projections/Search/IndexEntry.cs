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

    /// <summary>Page texts and title: with offsets in the postings so snippets come from the postings of the query's
    /// words (<see cref="PageSnippets"/>) instead of analysing every page or title of every hit again or reading term
    /// vectors. Not stored: the texts are in <see cref="SearchFields.Pages"/>, the title in <see cref="SearchFields.Hit"/>.</summary>
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
        doc.Add(new BinaryDocValuesField(SearchFields.Hit, new BytesRef(HitBytes())));
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

        doc.Add(new Field(SearchFields.Title, Title, TextWithOffsets));
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

    /// <summary>What a hit shows of the entry (kind, ids, status, reference, titles, plan unit, date, version) in a
    /// compact binary form: read per hit, so cheaper to decode than the JSON of the entry.</summary>
    private byte[] HitBytes()
    {
        using var stream = new System.IO.MemoryStream(256);
        using (var w = new System.IO.BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(HitFormat);
            w.Write((byte)Kind);
            w.Write((byte)((Scanned ? 1 : 0) | (FileClosed ? 2 : 0) | (CaseClosed ? 4 : 0) | (CaseId is null ? 0 : 8) | (DocumentId is null ? 0 : 16) | (CaseTitle is null ? 0 : 32)));
            w.Write(FileId.ToByteArray());
            if (CaseId is { } caseId) w.Write(caseId.ToByteArray());
            if (DocumentId is { } documentId) w.Write(documentId.ToByteArray());
            w.Write(Reference);
            w.Write(Title);
            w.Write(FileTitle);
            if (CaseTitle is not null) w.Write(CaseTitle);
            w.Write(PlanCode);
            w.Write(Date.UtcTicks);
            w.Write((short)Date.Offset.TotalMinutes);
            w.Write(Version);
        }

        return stream.ToArray();
    }

    private const byte HitFormat = 1;

    /// <summary>The summary stored as <see cref="SearchFields.Hit"/>, or null if the document has none.</summary>
    public static IndexEntry? FromHitValue(BytesRef value)
    {
        if (value.Length == 0 || value.Bytes[value.Offset] != HitFormat) return null;
        using var r = new System.IO.BinaryReader(new System.IO.MemoryStream(value.Bytes, value.Offset + 1, value.Length - 1, writable: false), System.Text.Encoding.UTF8);
        var kind = (EntryKind)r.ReadByte();
        var flags = r.ReadByte();
        var fileId = new Guid(r.ReadBytes(16));
        Guid? caseId = (flags & 8) != 0 ? new Guid(r.ReadBytes(16)) : null;
        Guid? documentId = (flags & 16) != 0 ? new Guid(r.ReadBytes(16)) : null;
        var reference = r.ReadString();
        var title = r.ReadString();
        var fileTitle = r.ReadString();
        var caseTitle = (flags & 32) != 0 ? r.ReadString() : null;
        var planCode = r.ReadString();
        var ticks = r.ReadInt64();
        var offset = TimeSpan.FromMinutes(r.ReadInt16());
        return new IndexEntry
        {
            Id = "",
            Kind = kind,
            Scanned = (flags & 1) != 0,
            FileClosed = (flags & 2) != 0,
            CaseClosed = (flags & 4) != 0,
            FileId = fileId,
            CaseId = caseId,
            DocumentId = documentId,
            Reference = reference,
            Title = title,
            FileTitle = fileTitle,
            CaseTitle = caseTitle,
            PlanCode = planCode,
            Date = new DateTimeOffset(ticks + offset.Ticks, offset),
            Version = r.ReadInt32(),
        };
    }

    /// <summary>The entry of a stored document, with its page texts.</summary>
    internal static IndexEntry FromDocument(LuceneDocument doc, PageTexts pages) => FromDocument(doc) with { Pages = pages.All() };

    /// <summary>The entry of a stored document, without its page texts.</summary>
    public static IndexEntry FromDocument(LuceneDocument doc) =>
        JsonSerializer.Deserialize<IndexEntry>(doc.Get(SearchFields.Entry), Json)
            ?? throw new InvalidOperationException("an index document without its entry");
}
