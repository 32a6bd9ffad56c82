using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.Common;
using ECase.Domain.Files;
using ECase.Projections.Files;
using Marten;
using JasperFx.Events;
using FileState = ECase.Domain.Files.File;

namespace ECase.Application.Files;

/// <summary>The load–check–decide–append step every command on an existing file stream shares.</summary>
public static class FileWrites
{
    /// <summary>
    /// One round trip: the file stream and its <see cref="FileOverview"/>, which the inline projection then updates
    /// from the command session's identity map instead of loading it again on commit.
    /// </summary>
    public static async Task<IEventStream<FileState>> LoadAsync(IDocumentSession session, Guid fileId, long? expectedVersion, CurrentUser user, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var streamTask = expectedVersion is { } v
            ? batch.Events.FetchForWriting<FileState>(fileId, v)
            : batch.Events.FetchForWriting<FileState>(fileId);
        _ = batch.Load<FileOverview>(fileId);
        await batch.Execute(ct);
        var stream = await streamTask;
        if (stream.Aggregate is not { } file) throw new NotFoundException("file");
        Access.EnsureCanSeeFile(user, file.OrgUnit, file.Confidentiality);
        return stream;
    }

    public static CommandResult Append(IEventStream<FileState> stream, Decision decision)
    {
        var events = decision.EventsOrThrow();
        stream.AppendMany(events);
        return new CommandResult(stream.Id, (stream.StartingVersion ?? 0) + events.Count);
    }
}
