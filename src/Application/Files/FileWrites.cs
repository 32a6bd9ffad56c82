using ECase.Application.Common;
using ECase.Application.Security;
using ECase.Domain.Common;
using ECase.Domain.Files;
using Marten;
using JasperFx.Events;
using FileState = ECase.Domain.Files.File;

namespace ECase.Application.Files;

/// <summary>The load–check–decide–append step every command on an existing file stream shares.</summary>
public static class FileWrites
{
    public static async Task<IEventStream<FileState>> LoadAsync(IDocumentSession session, Guid fileId, long? expectedVersion, CurrentUser user, CancellationToken ct)
    {
        var stream = expectedVersion is { } v
            ? await session.Events.FetchForWriting<FileState>(fileId, v, ct)
            : await session.Events.FetchForWriting<FileState>(fileId, ct);
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
