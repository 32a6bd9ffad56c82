using ECase.Domain.Cases;
using ECase.Domain.FilePlans;
using ECase.Domain.Files;
using ECase.Domain.Scanning;
using JasperFx.Events;

namespace ECase.Projections.Search;

/// <summary>Where the projector gets what events only point to: page texts in the content store, senders' names.</summary>
public interface ISearchTextSource
{
    /// <summary>The text of each page of a stored text blob (OCR or extracted), or null if the blob is gone.</summary>
    Task<IReadOnlyList<string>?> PagesAsync(ContentRef text, CancellationToken ct);

    /// <summary>The sender's display name, or null if the sender's data was erased.</summary>
    Task<string?> SenderNameAsync(Guid senderId, CancellationToken ct);
}

/// <summary>
/// Applies events to a <see cref="SearchIndex"/>. Every step is an upsert of a keyed entry, so applying an event twice
/// (after a crash between the index commit and the next poll) leaves the index as applying it once.
/// </summary>
public sealed class SearchProjector(ISearchTextSource texts)
{
    public static bool Concerns(object data) => data is FilePlanUnitCreated or FileOpened or FileReclassified or FileClosed or FileReopened
        or CaseOpened or CaseRenamed or CaseClosed or SubmissionReceived or DocumentAdded or DocumentVersionAdded or DocumentScanned
        or OcrCompleted or TextExtracted or FileDestroyed;

    public async Task ApplyAsync(SearchIndex index, IEvent e, CancellationToken ct)
    {
        switch (e.Data)
        {
            case FilePlanUnitCreated u:
                index.Put(new IndexEntry { Id = IndexEntry.PlanUnitKey(u.UnitId), Kind = EntryKind.PlanUnit, PlanUnitId = u.UnitId, PlanCode = u.Code, PlanTitle = u.Title });
                break;

            case FileOpened f:
                index.Put(new IndexEntry
                {
                    Id = IndexEntry.FileKey(f.FileId),
                    Kind = EntryKind.File,
                    FileId = f.FileId,
                    OrgUnit = f.OrgUnit,
                    Confidentiality = f.Confidentiality,
                    FileVersion = e.Version,
                    Reference = f.Reference,
                    PlanUnitId = f.PlanUnitId,
                    PlanCode = f.PlanUnitCode,
                    PlanTitle = PlanTitle(index, f.PlanUnitId),
                    Title = f.Title,
                    FileTitle = f.Title,
                    Date = f.OpenedAt,
                });
                break;

            case FileReclassified r:
                var planTitle = PlanTitle(index, r.PlanUnitId);
                UpdateFile(index, r.FileId, e.Version, x => x with
                {
                    PlanUnitId = r.PlanUnitId,
                    PlanCode = r.PlanUnitCode,
                    PlanTitle = planTitle,
                    Reference = r.Reference,
                    PreviousReferences = [.. x.PreviousReferences.Append(r.PreviousReference).Distinct()],
                    Confidentiality = r.Confidentiality,
                });
                break;

            case FileClosed c:
                UpdateFile(index, c.FileId, e.Version, x => x with { FileClosed = true });
                break;

            case FileReopened o:
                UpdateFile(index, o.FileId, e.Version, x => x with { FileClosed = false });
                break;

            // A destroyed file leaves the index with everything in it (its text is gone from the content store too).
            case FileDestroyed d:
                foreach (var x in index.All(SearchFields.FileId, d.FileId)) index.Delete(x.Id);
                break;

            case CaseOpened c when index.Get(IndexEntry.FileKey(c.FileId)) is { } file:
                index.Put(Inherit(file) with
                {
                    Id = IndexEntry.CaseKey(c.CaseId),
                    Kind = EntryKind.Case,
                    CaseId = c.CaseId,
                    Title = c.Title,
                    CaseTitle = c.Title,
                    Date = c.OpenedAt,
                });
                break;

            case CaseRenamed r:
                foreach (var x in index.All(SearchFields.CaseId, r.CaseId))
                {
                    index.Put(x.Kind == EntryKind.Case ? x with { Title = r.Title, CaseTitle = r.Title } : x with { CaseTitle = r.Title });
                }

                break;

            case CaseClosed c:
                foreach (var x in index.All(SearchFields.CaseId, c.CaseId)) index.Put(x with { CaseClosed = true });
                break;

            case SubmissionReceived s when index.Get(IndexEntry.CaseKey(s.CaseId)) is { } @case:
                var sender = s.SenderId is { } senderId ? await texts.SenderNameAsync(senderId, ct) : null;
                var submission = new IndexedSubmission(s.SubmissionId, s.Subject, sender, s.Channel.ToString(), s.ReceivedAt);
                index.Put(@case with { Submissions = [.. @case.Submissions.Where(x => x.Id != s.SubmissionId).Append(submission)] });
                foreach (var documentId in s.DocumentIds)
                {
                    if (index.Get(IndexEntry.DocumentKey(documentId)) is { } document)
                    {
                        index.Put(document with { Submissions = [submission], Date = s.ReceivedAt });
                    }
                }

                break;

            case DocumentAdded d when index.Get(IndexEntry.CaseKey(d.CaseId)) is { } @case:
                var received = @case.Submissions.Where(x => x.Id == d.SubmissionId).ToArray();
                index.Put(Inherit(@case) with
                {
                    Id = IndexEntry.DocumentKey(d.DocumentId),
                    Kind = EntryKind.Document,
                    CaseId = d.CaseId,
                    DocumentId = d.DocumentId,
                    Title = d.Title,
                    CaseTitle = @case.Title,
                    Submissions = received,
                    Date = received.Length > 0 ? received[0].ReceivedAt : d.AddedAt,
                    MediaType = d.Content.MediaType,
                    FileName = d.Content.FileName,
                    Version = 1,
                });
                break;

            case DocumentScanned d when index.Get(IndexEntry.CaseKey(d.CaseId)) is { } @case:
                index.Put(Inherit(@case) with
                {
                    Id = IndexEntry.DocumentKey(d.DocumentId),
                    Kind = EntryKind.Document,
                    CaseId = d.CaseId,
                    DocumentId = d.DocumentId,
                    Title = d.Title,
                    CaseTitle = @case.Title,
                    Date = d.Protocol.CapturedAt,
                    Scanned = true,
                    MediaType = d.Image.MediaType,
                    FileName = d.Image.FileName,
                    Version = 1,
                });
                break;

            case DocumentVersionAdded v when index.Get(IndexEntry.DocumentKey(v.DocumentId)) is { } document && v.Version > document.Version:
                index.Put(document with { Version = v.Version, MediaType = v.Content.MediaType, FileName = v.Content.FileName });
                break;

            case OcrCompleted o:
                await PutTextAsync(index, o.DocumentId, o.Version, o.Text, ct);
                break;

            case TextExtracted t:
                await PutTextAsync(index, t.DocumentId, t.Version, t.Text, ct);
                break;
        }
    }

    /// <summary>A new entry below a file or case starts with the file's permissions, reference, plan unit and status.</summary>
    private static IndexEntry Inherit(IndexEntry parent) => new()
    {
        Id = parent.Id,
        Kind = parent.Kind,
        FileId = parent.FileId,
        OrgUnit = parent.OrgUnit,
        Confidentiality = parent.Confidentiality,
        FileClosed = parent.FileClosed,
        CaseClosed = parent.CaseClosed,
        FileVersion = parent.FileVersion,
        Reference = parent.Reference,
        PreviousReferences = parent.PreviousReferences,
        PlanUnitId = parent.PlanUnitId,
        PlanCode = parent.PlanCode,
        PlanTitle = parent.PlanTitle,
        FileTitle = parent.FileTitle,
    };

    /// <summary>Changes the file and everything below it; an event older than what the entries already show is skipped.</summary>
    private static void UpdateFile(SearchIndex index, Guid fileId, long version, Func<IndexEntry, IndexEntry> change)
    {
        foreach (var entry in index.All(SearchFields.FileId, fileId))
        {
            if (entry.FileVersion >= version) continue;
            index.Put(change(entry) with { FileVersion = version });
        }
    }

    private static string PlanTitle(SearchIndex index, Guid planUnitId) => index.Get(IndexEntry.PlanUnitKey(planUnitId))?.PlanTitle ?? "";

    private async Task PutTextAsync(SearchIndex index, Guid documentId, int version, ContentRef text, CancellationToken ct)
    {
        if (index.Get(IndexEntry.DocumentKey(documentId)) is not { } document || version < document.TextVersion) return;
        var pages = await texts.PagesAsync(text, ct);
        if (pages is null) return;
        index.Put(document with { Pages = pages, TextVersion = version });
    }
}
