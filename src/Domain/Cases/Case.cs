using System.Collections.Immutable;
using ECase.Domain.Scanning;
using ECase.Domain.Signatures;

namespace ECase.Domain.Cases;

public enum CaseStatus { Open, Closed }

/// <summary>Eingangskanal.</summary>
public enum SubmissionChannel { Paper, Email, OnlineForm, DeMail, Fax, Other }

/// <summary>Where text recognition of a version stands. NotApplicable: not a scan, or a scan rejected by its quality check.</summary>
public enum OcrState { NotApplicable, Pending, Completed, Failed }

/// <summary>One version of a document (Dokumentversion): its content and who added it when, plus what was derived from it.</summary>
public sealed record DocumentVersion(int Number, ContentRef Content, string AddedBy, DateTimeOffset AddedAt)
{
    public OcrState Ocr { get; init; } = OcrState.NotApplicable;

    /// <summary>Recognised or extracted text (JSON with pages and word boxes) in the content store.</summary>
    public ContentRef? Text { get; init; }

    /// <summary>Further formats of this version by format name, e.g. "PDF/A-2b".</summary>
    public ImmutableDictionary<string, ContentRef> Renditions { get; init; } = ImmutableDictionary<string, ContentRef>.Empty;
}

/// <summary>What a scanned document records about its paper original.</summary>
public sealed record ScanInfo(ScanProtocol Protocol, string Language, QualityCheck? Quality);

/// <summary>Dokument: a record item with versions, numbered from 1.</summary>
public sealed record Document(Guid Id, string Title, Guid? SubmissionId, ImmutableList<DocumentVersion> Versions)
{
    public ScanInfo? Scan { get; init; }

    /// <summary>The latest sign-off round (Mitzeichnung/Schlusszeichnung); void once a newer version exists.</summary>
    public SignOffRound? SignOff { get; init; }

    public DocumentVersion Latest => Versions[^1];

    public Document WithVersion(int number, Func<DocumentVersion, DocumentVersion> change) =>
        this with { Versions = Versions.Select(v => v.Number == number ? change(v) : v).ToImmutableList() };
}

/// <summary>Vorgang: a business transaction inside a file, with its submissions and documents.</summary>
public sealed record Case(
    Guid Id, Guid FileId, string Title, string OrgUnit, CaseStatus Status,
    ImmutableHashSet<Guid> Submissions, ImmutableDictionary<Guid, Document> Documents)
{
    public static Case Start(CaseOpened e) => new(e.CaseId, e.FileId, e.Title, e.OrgUnit, CaseStatus.Open, [], ImmutableDictionary<Guid, Document>.Empty);

    public static Case? Evolve(Case? state, object @event) => (state, @event) switch
    {
        (null, CaseOpened e) => Start(e),
        (not null, CaseRenamed e) => state with { Title = e.Title },
        (not null, CaseClosed) => state with { Status = CaseStatus.Closed },
        (not null, SubmissionReceived e) => state with { Submissions = state.Submissions.Add(e.SubmissionId) },
        (not null, DocumentAdded e) => state with
        {
            Documents = state.Documents.Add(e.DocumentId, new Document(
                e.DocumentId, e.Title, e.SubmissionId, [new DocumentVersion(1, e.Content, e.AddedBy.UserId, e.AddedAt)])),
        },
        (not null, DocumentVersionAdded e) when state.Documents.TryGetValue(e.DocumentId, out var doc) => state with
        {
            Documents = state.Documents.SetItem(e.DocumentId, doc with
            {
                Versions = doc.Versions.Add(new DocumentVersion(e.Version, e.Content, e.AddedBy.UserId, e.AddedAt)),
            }),
        },
        (not null, DocumentScanned e) => state with
        {
            Documents = state.Documents.Add(e.DocumentId, new Document(
                e.DocumentId, e.Title, null, [new DocumentVersion(1, e.Image, e.ScannedBy.UserId, e.ScannedAt) { Ocr = OcrState.Pending }])
            {
                Scan = new ScanInfo(e.Protocol, e.Language, null),
            }),
        },
        (not null, ScanQualityChecked e) => Change(state, e.DocumentId, d => CheckQuality(d, e.Check)),
        (not null, OcrCompleted e) => Change(state, e.DocumentId, d => d.WithVersion(e.Version, v => v with { Ocr = OcrState.Completed, Text = e.Text })),
        (not null, OcrFailed e) => Change(state, e.DocumentId, d => d.WithVersion(e.Version, v => v with { Ocr = OcrState.Failed })),
        (not null, TextExtracted e) => Change(state, e.DocumentId, d => d.WithVersion(e.Version, v => v with { Text = e.Text })),
        (not null, RenditionCreated e) => Change(state, e.DocumentId, d => d.WithVersion(e.Version, v => v with { Renditions = v.Renditions.SetItem(e.Format, e.Content) })),
        (not null, CoSignRequested or CoSigned or CoSignDeclined or DocumentSignedOff) => SignOffs.Evolve(state, @event),
        _ => state,
    };

    /// <summary>A scan that fails its quality check keeps its image but gets no text and no rendition.</summary>
    private static Document CheckQuality(Document doc, QualityCheck check)
    {
        if (doc.Scan is null) return doc;
        var checkedDoc = doc with { Scan = doc.Scan with { Quality = check } };
        return check.Accepted ? checkedDoc : checkedDoc.WithVersion(1, v => v with { Ocr = OcrState.NotApplicable });
    }

    private static Case Change(Case state, Guid documentId, Func<Document, Document> change) =>
        state.Documents.TryGetValue(documentId, out var doc) ? state with { Documents = state.Documents.SetItem(documentId, change(doc)) } : state;
}
