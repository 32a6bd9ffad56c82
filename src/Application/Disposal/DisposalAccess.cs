using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Security;
using ECase.Domain.Cases;
using ECase.Domain.Disposal;
using Marten;

namespace ECase.Application.Disposal;

/// <summary>Who sees which disposal process, and how its xdomea messages are named and kept.</summary>
public static class DisposalAccess
{
    public static readonly IReadOnlyDictionary<string, string> MessageTypes = new Dictionary<string, string>
    {
        ["0501"] = "Aussonderung.Anbieteverzeichnis.0501",
        ["0502"] = "Aussonderung.Bewertungsverzeichnis.0502",
        ["0503"] = "Aussonderung.Aussonderung.0503",
        ["0504"] = "Aussonderung.AnbietungEmpfangBestaetigen.0504",
        ["0505"] = "Aussonderung.BewertungEmpfangBestaetigen.0505",
        ["0506"] = "Aussonderung.AussonderungImportBestaetigen.0506",
        ["0507"] = "Aussonderung.AussonderungEmpfangBestaetigen.0507",
    };

    /// <summary>Registrars see every process; archivists those addressed to their archive (their org unit). Others: 404.</summary>
    public static bool CanSee(CurrentUser user, DisposalProcess process) =>
        user.Role == Roles.Registrar || (user.Role == Roles.Archivist && user.OrgUnit == process.Archive.Code);

    public static void EnsureRole(CurrentUser user, params string[] roles)
    {
        if (!roles.Contains(user.Role)) throw new ForbiddenException($"Only {string.Join(" or ", roles)}s may do this.");
    }

    public static async Task<DisposalProcess> LoadAsync(IQuerySession session, Guid processId, CurrentUser user, CancellationToken ct)
    {
        var process = await session.LoadAsync<DisposalProcess>(processId, ct);
        if (process is null || !CanSee(user, process)) throw new NotFoundException("disposal process");
        return process;
    }

    public static string FileName(Guid processId, string code) => $"{processId}_{MessageTypes[code]}.xml";

    /// <summary>Keeps a message of the process in the content store and returns its reference for the event.</summary>
    public static async Task<ContentRef> KeepAsync(IContentStore store, byte[] bytes, string fileName, string mediaType, CancellationToken ct)
    {
        using var stream = new System.IO.MemoryStream(bytes, writable: false);
        var staged = await store.PutAsync(stream, ct);
        return new ContentRef(staged.Sha256, staged.Size, mediaType, fileName);
    }
}
