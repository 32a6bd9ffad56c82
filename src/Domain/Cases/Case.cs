using System.Collections.Immutable;

namespace ECase.Domain.Cases;

public enum CaseStatus { Open, Closed }

/// <summary>Eingangskanal.</summary>
public enum SubmissionChannel { Paper, Email, OnlineForm, DeMail, Fax, Other }

/// <summary>One version of a document (Dokumentversion): its content and who added it when.</summary>
public sealed record DocumentVersion(int Number, ContentRef Content, string AddedBy, DateTimeOffset AddedAt);

/// <summary>Dokument: a record item with versions, numbered from 1.</summary>
public sealed record Document(Guid Id, string Title, Guid? SubmissionId, ImmutableList<DocumentVersion> Versions)
{
    public DocumentVersion Latest => Versions[^1];
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
        _ => state,
    };
}
