using ECase.Application.Security;
using ECase.Projections.Audit;
using Marten;

namespace ECase.Application.Audit;

/// <summary>Records reads of files, cases and document content: who read what, and when (append-only).</summary>
public static class AccessLog
{
    public const string ReadFile = "read-file";
    public const string ReadCase = "read-case";
    public const string ReadDocumentContent = "read-document-content";
    public const string ReadAuditTrail = "read-audit-trail";

    /// <summary>Disposal reads are logged under the process id in place of a file id (ADR 0018).</summary>
    public const string ReadDisposalMessage = "read-disposal-message";
    public const string DownloadTransfer = "download-transfer";

    public static async Task RecordAsync(
        IDocumentSession session, TimeProvider clock, CurrentUser user, string action, Guid fileId, CancellationToken ct,
        Guid? caseId = null, Guid? documentId = null, int? version = null)
    {
        session.Insert(new AccessLogEntry(
            Guid.CreateVersion7(), clock.GetUtcNow(), user.Id, user.Role, user.OrgUnit, action, fileId, caseId, documentId, version));
        await session.SaveChangesAsync(ct);
    }
}
