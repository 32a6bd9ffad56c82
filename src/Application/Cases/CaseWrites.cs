using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Projections.Cases;
using ECase.Projections.Files;
using Marten;
using Marten.Services.BatchQuerying;
using JasperFx.Events;

namespace ECase.Application.Cases;

/// <summary>The load–check–decide–append step every command on an existing case stream shares.</summary>
public static class CaseWrites
{
    /// <summary>
    /// One round trip: the case stream, its <see cref="CaseDetails"/> and its file's <see cref="FileOverview"/>. Command
    /// sessions keep an identity map, so the inline projections update the read models loaded here instead of loading
    /// them again on commit.
    /// </summary>
    public static async Task<IEventStream<Case>> LoadAsync(IDocumentSession session, Guid caseId, long? expectedVersion, CurrentUser user, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var streamTask = expectedVersion is { } v
            ? batch.Events.FetchForWriting<Case>(caseId, v)
            : batch.Events.FetchForWriting<Case>(caseId);
        _ = batch.Load<CaseDetails>(caseId);
        var fileTask = FileOfCase(batch, session, caseId);
        await batch.Execute(ct);

        var stream = await streamTask;
        if (stream.Aggregate is null) throw new NotFoundException("case");
        EnsureCanSee((await fileTask).SingleOrDefault(), user);
        return stream;
    }

    /// <summary>A case is as visible as its file: same org unit, the file's confidentiality.</summary>
    public static async Task<FileOverview> EnsureCanSeeAsync(IQuerySession session, Guid fileId, CurrentUser user, CancellationToken ct) =>
        EnsureCanSee(await session.LoadAsync<FileOverview>(fileId, ct), user);

    public static FileOverview EnsureCanSee(FileOverview? file, CurrentUser user)
    {
        if (file is null) throw new NotFoundException("case");
        Access.EnsureCanSeeFile(user, file.OrgUnit, file.Confidentiality, "case");
        return file;
    }

    /// <summary>The file of a case, found through the case's read model in the same statement (a case never changes file).</summary>
    public static Task<IReadOnlyList<FileOverview>> FileOfCase(IBatchedQuery batch, IQuerySession session, Guid caseId)
    {
        var cases = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(CaseDetails)).TableName.QualifiedName;
        return batch.Query<FileOverview>($"where d.id = (select (c.data ->> '{nameof(CaseDetails.FileId)}')::uuid from {cases} as c where c.id = ?)", caseId);
    }

    public static CommandResult Append(IEventStream<Case> stream, Decision decision)
    {
        var events = decision.EventsOrThrow();
        stream.AppendMany(events);
        return new CommandResult(stream.Id, (stream.StartingVersion ?? 0) + events.Count);
    }
}
