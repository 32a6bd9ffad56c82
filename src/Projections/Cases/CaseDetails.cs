using ECase.Domain.Cases;
using ECase.Domain.Scanning;
using ECase.Domain.Signatures;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace ECase.Projections.Cases;

public sealed record SubmissionView(
    Guid Id, SubmissionChannel Channel, Guid? SenderId, DateTimeOffset ReceivedAt, string Subject, IReadOnlyList<Guid> DocumentIds,
    string RegisteredBy, DateTimeOffset RegisteredAt);

public sealed record RenditionView(string Format, string Sha256, long Size, string MediaType, string FileName, DateTimeOffset CreatedAt);

public sealed record OcrView(OcrState State, string? Language, float? MeanConfidence, IReadOnlyList<OcrPageInfo> Pages, string? FailureCode, string? FailureReason);

public sealed record VersionView(int Number, string Sha256, long Size, string MediaType, string FileName, string AddedBy, DateTimeOffset AddedAt)
{
    public OcrView Ocr { get; init; } = new(OcrState.NotApplicable, null, null, [], null, null);

    public IReadOnlyList<RenditionView> Renditions { get; init; } = [];

    /// <summary>Where the version's text comes from: "ocr", "pdf-text", "plain"; null while there is none.</summary>
    public string? TextSource { get; init; }

    /// <summary>Every recorded verification of a signature on this version, valid or not.</summary>
    public IReadOnlyList<SignatureView> Signatures { get; init; } = [];
}

public sealed record SignatureView(Guid Id, int Index, string? SignatureSha256, SignatureCheck Result, string VerifiedBy, DateTimeOffset VerifiedAt);

public sealed record CoSignView(string UserId, bool Approved, string? Comment, DateTimeOffset At);

/// <summary>Mitzeichnung and Schlusszeichnung of one version; a newer version of the document voids it (see the document's latest version).</summary>
public sealed record SignOffView(int Version, IReadOnlyList<string> Requested, IReadOnlyList<CoSignView> Answers, string? SignedOffBy, DateTimeOffset? SignedOffAt, string? ServerSignatureSha256);

public sealed record ScanView(ScanProtocol Protocol, string Language, QualityCheck? Quality);

public sealed record DocumentView(Guid Id, string Title, Guid? SubmissionId, IReadOnlyList<VersionView> Versions)
{
    public ScanView? Scan { get; init; }

    /// <summary>The sign-off rounds, oldest first; only the one of the latest version is current.</summary>
    public IReadOnlyList<SignOffView> SignOffs { get; init; } = [];
}

/// <summary>A case (Vorgang) with its submissions and the document list, as clerks read it.</summary>
public sealed record CaseDetails(
    Guid Id, Guid FileId, string Title, string OrgUnit, CaseStatus Status, string OpenedBy, DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt, IReadOnlyList<SubmissionView> Submissions, IReadOnlyList<DocumentView> Documents, long Version);

public sealed class CaseDetailsProjection : SingleStreamProjection<CaseDetails, Guid>
{
    public CaseDetailsProjection()
    {
        // An event allow-list: without it Marten cannot tell from Evolve which streams this projection concerns and
        // loads its document for every stream appended inline, one round trip per projection and command.
        IncludeType<CaseOpened>();
        IncludeType<CaseRenamed>();
        IncludeType<CaseClosed>();
        IncludeType<SubmissionReceived>();
        IncludeType<DocumentAdded>();
        IncludeType<DocumentVersionAdded>();
        IncludeType<DocumentScanned>();
        IncludeType<ScanQualityChecked>();
        IncludeType<OcrCompleted>();
        IncludeType<OcrFailed>();
        IncludeType<RenditionCreated>();
        IncludeType<TextExtracted>();
        IncludeType<SignatureVerified>();
        IncludeType<CoSignRequested>();
        IncludeType<CoSigned>();
        IncludeType<CoSignDeclined>();
        IncludeType<DocumentSignedOff>();
    }

    public override CaseDetails? Evolve(CaseDetails? snapshot, Guid id, IEvent e) =>
        Next(snapshot, e.Data) is { } next ? next with { Version = e.Version } : null;

    private static CaseDetails? Next(CaseDetails? s, object data) => (s, data) switch
    {
        (null, CaseOpened o) => new CaseDetails(o.CaseId, o.FileId, o.Title, o.OrgUnit, CaseStatus.Open, o.OpenedBy.UserId, o.OpenedAt, null, [], [], 0),
        (not null, CaseRenamed r) => s with { Title = r.Title },
        (not null, CaseClosed c) => s with { Status = CaseStatus.Closed, ClosedAt = c.ClosedAt },
        (not null, SubmissionReceived r) => s with
        {
            Submissions = [.. s.Submissions, new SubmissionView(r.SubmissionId, r.Channel, r.SenderId, r.ReceivedAt, r.Subject, r.DocumentIds, r.RegisteredBy.UserId, r.RegisteredAt)],
        },
        (not null, DocumentAdded a) => s with
        {
            Documents = [.. s.Documents, new DocumentView(a.DocumentId, a.Title, a.SubmissionId, [ToView(1, a.Content, a.AddedBy.UserId, a.AddedAt)])],
        },
        (not null, DocumentVersionAdded v) => s with
        {
            Documents = [.. s.Documents.Select(d => d.Id != v.DocumentId ? d
                : d with { Versions = [.. d.Versions, ToView(v.Version, v.Content, v.AddedBy.UserId, v.AddedAt)] })],
        },
        (not null, DocumentScanned d) => s with
        {
            Documents = [.. s.Documents, new DocumentView(d.DocumentId, d.Title, null,
                [ToView(1, d.Image, d.ScannedBy.UserId, d.ScannedAt) with { Ocr = new OcrView(OcrState.Pending, d.Language, null, [], null, null) }])
            {
                Scan = new ScanView(d.Protocol, d.Language, null),
            }],
        },
        (not null, ScanQualityChecked q) => Change(s, q.DocumentId, d => d with
        {
            Scan = d.Scan! with { Quality = q.Check },
            Versions = q.Check.Accepted ? d.Versions : [.. d.Versions.Select(v => v with { Ocr = v.Ocr with { State = OcrState.NotApplicable } })],
        }),
        (not null, OcrCompleted o) => ChangeVersion(s, o.DocumentId, o.Version, v => v with
        {
            Ocr = new OcrView(OcrState.Completed, o.Language, o.MeanConfidence, o.Pages, null, null),
            TextSource = "ocr",
        }),
        (not null, TextExtracted t) => ChangeVersion(s, t.DocumentId, t.Version, v => v with { TextSource = t.Source }),
        (not null, OcrFailed f) => ChangeVersion(s, f.DocumentId, f.Version, v => v with
        {
            Ocr = v.Ocr with { State = OcrState.Failed, FailureCode = f.Code, FailureReason = f.Reason },
        }),
        (not null, RenditionCreated r) => ChangeVersion(s, r.DocumentId, r.Version, v => v with
        {
            Renditions = [.. v.Renditions, new RenditionView(r.Format, r.Content.Sha256, r.Content.Size, r.Content.MediaType, r.Content.FileName, r.CreatedAt)],
        }),
        (not null, SignatureVerified v) => ChangeVersion(s, v.DocumentId, v.Version, x => x with
        {
            Signatures = [.. x.Signatures, new SignatureView(v.SignatureId, v.Index, v.Signature?.Sha256, v.Result, v.VerifiedBy.UserId, v.VerifiedAt)],
        }),
        (not null, CoSignRequested r) => ChangeSignOff(s, r.DocumentId, r.Version, o => o with
        {
            Requested = [.. o.Requested, .. r.CoSigners.Where(u => !o.Requested.Contains(u))],
            Answers = [.. o.Answers.Where(a => !r.CoSigners.Contains(a.UserId))],
        }),
        (not null, CoSigned c) => ChangeSignOff(s, c.DocumentId, c.Version, o => o with { Answers = [.. o.Answers, new CoSignView(c.CoSignedBy.UserId, true, c.Comment, c.CoSignedAt)] }),
        (not null, CoSignDeclined d) => ChangeSignOff(s, d.DocumentId, d.Version, o => o with { Answers = [.. o.Answers, new CoSignView(d.DeclinedBy.UserId, false, d.Comment, d.DeclinedAt)] }),
        (not null, DocumentSignedOff o) => ChangeSignOff(s, o.DocumentId, o.Version, x => x with
        {
            SignedOffBy = o.SignedOffBy.UserId,
            SignedOffAt = o.SignedOffAt,
            ServerSignatureSha256 = o.ServerSignature?.Sha256,
        }),
        _ => s,
    };

    /// <summary>Changes the round of a version; a round for a newer version starts with the clerks asked before (as the domain decides).</summary>
    private static CaseDetails ChangeSignOff(CaseDetails s, Guid documentId, int version, Func<SignOffView, SignOffView> change) =>
        Change(s, documentId, d => d with
        {
            SignOffs = d.SignOffs.Count > 0 && d.SignOffs[^1].Version == version
                ? [.. d.SignOffs.SkipLast(1), change(d.SignOffs[^1])]
                : [.. d.SignOffs, change(new SignOffView(version, d.SignOffs.Count > 0 ? d.SignOffs[^1].Requested : [], [], null, null, null))],
        });

    private static CaseDetails Change(CaseDetails s, Guid documentId, Func<DocumentView, DocumentView> change) =>
        s with { Documents = [.. s.Documents.Select(d => d.Id == documentId ? change(d) : d)] };

    private static CaseDetails ChangeVersion(CaseDetails s, Guid documentId, int version, Func<VersionView, VersionView> change) =>
        Change(s, documentId, d => d with { Versions = [.. d.Versions.Select(v => v.Number == version ? change(v) : v)] });

    private static VersionView ToView(int number, ContentRef c, string by, DateTimeOffset at) =>
        new(number, c.Sha256, c.Size, c.MediaType, c.FileName, by, at);
}
