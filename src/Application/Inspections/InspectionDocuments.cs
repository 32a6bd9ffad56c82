using ECase.Application.Common;
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
    /// The documents in the granted scope, each in the latest version added before the grant in force: a version added later
    /// is not shown until the clerk grants again (it has not been looked at for redaction).
    /// </summary>
    public static IEnumerable<FileDocumentVersion> Granted(InspectionView view, IEnumerable<CaseDetails> cases)
    {
        if (view.GrantedAt is not { } grantedAt) yield break;
        foreach (var c in cases)
        {
            foreach (var d in c.Documents)
            {
                if (!view.Scope.Covers(c.Id, d.Id)) continue;
                if (d.Versions.Where(v => v.AddedAt <= grantedAt).MaxBy(v => v.Number) is { } version) yield return new FileDocumentVersion(c, d, version);
            }
        }
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
    public static string CopyTitle(InspectionView view, FileDocumentVersion d) => $"{view.FileReference} – {d.Document.Title} (Akteneinsicht)";
}
