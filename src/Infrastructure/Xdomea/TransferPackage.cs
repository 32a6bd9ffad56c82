namespace ECase.Infrastructure.Xdomea;

/// <summary>A file (Akte) to transfer; cases appraised V inside a file appraised A are left out.</summary>
public sealed record TransferredFile(Guid FileId, IReadOnlySet<Guid> ExcludedCases);

/// <summary>What goes into one 0503: the process, the message version, sender (agency), recipient (archive) and the files.</summary>
public sealed record TransferSelection(Guid ProcessId, XdomeaVersion Version, XdomeaParty Agency, XdomeaParty Archive, IReadOnlyList<TransferredFile> Files);

/// <summary>Objects are document versions; bytes are those of the primary files.</summary>
public sealed record TransferProgress(int ObjectsDone, int ObjectsTotal, long BytesDone, long BytesTotal);

/// <summary>
/// The package written: its hash and size, what it holds, the IDs of every transferred object (files, cases, documents;
/// what a 0506 may confirm) and what the archive should know (e.g. a document without an archival format).
/// </summary>
public sealed record TransferPackageResult(
    string ZipSha256, long ZipBytes, int Files, int Cases, int Documents, int PrimaryFiles, IReadOnlyList<Guid> TransferredObjectIds, IReadOnlyList<string> Warnings);

public interface ITransferPackageBuilder
{
    /// <summary>Writes the ZIP to outputPath (complete file or exception; the caller renames it into place), reporting progress.</summary>
    /// <exception cref="TransferPackageException">a file to transfer does not exist.</exception>
    /// <exception cref="Application.Content.ContentCorruptedException">stored bytes no longer match their hash.</exception>
    Task<TransferPackageResult> BuildAsync(TransferSelection selection, string outputPath, IProgress<TransferProgress>? progress, CancellationToken ct);
}

/// <summary>The selection cannot be transferred as it is (e.g. it names a file that does not exist).</summary>
public sealed class TransferPackageException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>Names inside and of the Aussonderung.Aussonderung.0503 container (XDOMEA.md, ADR 0016).</summary>
public static class TransferPackage
{
    public const string MessageType = "Aussonderung.Aussonderung.0503";

    /// <summary>The container as the archive expects it: <c>&lt;ProzessID&gt;_Aussonderung.Aussonderung.0503.zip</c>.</summary>
    public static string ContainerName(Guid processId) => $"{processId:D}_{MessageType}.zip";

    public static string MessageEntry(Guid processId) => $"{processId:D}_{MessageType}.xml";

    /// <summary>SHA-256 of every other entry, in <c>sha256sum -c</c> format.</summary>
    public static string ManifestEntry(Guid processId) => $"{processId:D}_{MessageType}.sha256";

    /// <summary>Chain heads, seals and inclusion proofs of the transferred streams (ADR 0013), and the certificate that signed the seals.</summary>
    public static string IntegrityEntry(Guid processId) => $"{processId:D}_integrity.json";
}
