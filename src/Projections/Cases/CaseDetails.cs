using ECase.Domain.Cases;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace ECase.Projections.Cases;

public sealed record SubmissionView(
    Guid Id, SubmissionChannel Channel, Guid? SenderId, DateTimeOffset ReceivedAt, string Subject, IReadOnlyList<Guid> DocumentIds,
    string RegisteredBy, DateTimeOffset RegisteredAt);

public sealed record VersionView(int Number, string Sha256, long Size, string MediaType, string FileName, string AddedBy, DateTimeOffset AddedAt);

public sealed record DocumentView(Guid Id, string Title, Guid? SubmissionId, IReadOnlyList<VersionView> Versions);

/// <summary>A case (Vorgang) with its submissions and the document list, as clerks read it.</summary>
public sealed record CaseDetails(
    Guid Id, Guid FileId, string Title, string OrgUnit, CaseStatus Status, string OpenedBy, DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt, IReadOnlyList<SubmissionView> Submissions, IReadOnlyList<DocumentView> Documents, long Version);

public sealed class CaseDetailsProjection : SingleStreamProjection<CaseDetails, Guid>
{
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
        _ => s,
    };

    private static VersionView ToView(int number, ContentRef c, string by, DateTimeOffset at) =>
        new(number, c.Sha256, c.Size, c.MediaType, c.FileName, by, at);
}
