using ECase.Application.Common;
using ECase.Domain.Inspections;
using ECase.Projections.Cases;
using ECase.Projections.Inspections;
using Marten;

namespace ECase.Application.Inspections;

/// <summary>A document version of the file, with the case it belongs to.</summary>
public sealed record FileDocumentVersion(CaseDetails Case, DocumentView Document, VersionView Version);

/// <summary>Which documents of the file an inspection shows, and in which version.</summary>
public static class InspectionDocuments
{
    public static async Task<IReadOnlyList<CaseDetails>> CasesAsync(IQuerySession session, Guid fileId, CancellationToken ct) =>
        await session.Query<CaseDetails>().Where(c => c.FileId == fileId).OrderBy(c => c.OpenedAt).ToListAsync(ct);

    /// <summary>
    /// What a grant of <paramref name="scope"/> shows now: of each document in scope its latest version. The grant pins them; a
    /// version added later is not shown until the clerk grants again (nobody has looked at it for redaction).
    /// </summary>
    public static IReadOnlyList<GrantedVersion> ToGrant(InspectionScope scope, IEnumerable<CaseDetails> cases) =>
        [.. from d in Latest(cases) where scope.Covers(d.Case.Id, d.Document.Id)
            select new GrantedVersion(d.Case.Id, d.Document.Id, d.Version.Number, d.Version.Sha256, d.Version.MediaType, d.Version.FileName, d.Document.Title, d.Case.Title)];

    /// <summary>The content of a granted version; only scans (images with an OCR rendition) need the case read for it.</summary>
    public static async Task<ShownContent> ContentAsync(IQuerySession session, GrantedVersion g, CancellationToken ct)
    {
        var direct = new ShownContent(g.Sha256, g.MediaType, g.FileName, null);
        if (direct.IsPdf) return direct;
        var version = (await session.LoadAsync<CaseDetails>(g.CaseId, ct))?.Documents.FirstOrDefault(d => d.Id == g.DocumentId)?.Versions.FirstOrDefault(v => v.Number == g.Version);
        return version is null ? direct : ShownContent.Of(version);
    }

    /// <summary>The latest version of every document of the file, as the clerk decides on it.</summary>
    public static IEnumerable<FileDocumentVersion> Latest(IEnumerable<CaseDetails> cases) =>
        from c in cases from d in c.Documents where d.Versions.Count > 0 select new FileDocumentVersion(c, d, d.Versions.MaxBy(v => v.Number)!);

    /// <summary>A version of a document of the file (any version, for the clerk).</summary>
    public static FileDocumentVersion Find(IEnumerable<CaseDetails> cases, Guid documentId, int version) =>
        (from c in cases from d in c.Documents where d.Id == documentId from v in d.Versions where v.Number == version select new FileDocumentVersion(c, d, v))
        .FirstOrDefault() ?? throw new NotFoundException("document version");

    public static IReadOnlyList<RedactionView> RedactionsOf(InspectionView view, Guid documentId, int version) =>
        [.. view.Redactions.Where(r => r.DocumentId == documentId && r.Version == version)];

    /// <summary>The title the copy's placeholder pages and metadata carry.</summary>
    public static string CopyTitle(InspectionView view, string documentTitle) => $"{view.FileReference} – {documentTitle} (Akteneinsicht)";
}
