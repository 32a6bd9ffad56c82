using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Projections.Files;
using Marten;
using JasperFx.Events;

namespace ECase.Application.Cases;

/// <summary>The load–check–decide–append step every command on an existing case stream shares.</summary>
public static class CaseWrites
{
    public static async Task<IEventStream<Case>> LoadAsync(IDocumentSession session, Guid caseId, long? expectedVersion, CurrentUser user, CancellationToken ct)
    {
        var stream = expectedVersion is { } v
            ? await session.Events.FetchForWriting<Case>(caseId, v, ct)
            : await session.Events.FetchForWriting<Case>(caseId, ct);
        if (stream.Aggregate is not { } @case) throw new NotFoundException("case");
        await EnsureCanSeeAsync(session, @case.FileId, user, ct);
        return stream;
    }

    /// <summary>A case is as visible as its file: same org unit, the file's confidentiality.</summary>
    public static async Task<FileOverview> EnsureCanSeeAsync(IQuerySession session, Guid fileId, CurrentUser user, CancellationToken ct)
    {
        var file = await session.LoadAsync<FileOverview>(fileId, ct) ?? throw new NotFoundException("case");
        Access.EnsureCanSeeFile(user, file.OrgUnit, file.Confidentiality, "case");
        return file;
    }

    public static CommandResult Append(IEventStream<Case> stream, Decision decision)
    {
        var events = decision.EventsOrThrow();
        stream.AppendMany(events);
        return new CommandResult(stream.Id, (stream.StartingVersion ?? 0) + events.Count);
    }
}
