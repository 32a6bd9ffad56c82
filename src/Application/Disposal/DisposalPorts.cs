using ECase.Domain.Common;
using ECase.Domain.FilePlans;

namespace ECase.Application.Disposal;

/// <summary>A case as the offer (0501) describes it: metadata only.</summary>
public sealed record OfferCase(Guid Id, string Title, DateOnly Begin, DateOnly? ClosedOn);

/// <summary>A file as the offer (0501) describes it: metadata only, with its cases.</summary>
public sealed record OfferFile(
    Guid Id, string Reference, string Title, string PlanCode, string PlanTitle, Confidentiality Confidentiality, int? RetentionYears,
    DisposalProposal Disposal, DateOnly Begin, DateOnly? ClosedOn, DateOnly? RetentionEndsOn, IReadOnlyList<OfferCase> Cases);

/// <summary>The archive's import result for one object (0506).</summary>
public sealed record ImportedObject(Guid ObjectId, bool Succeeded, string? ArchiveReference, IReadOnlyList<string> Errors);

/// <summary>Sender and recipient of the process's messages.</summary>
public sealed record MessageParties(Guid ProcessId, string Version, string Authority, string AuthorityUnit, string Archive);

/// <summary>
/// The xdomea messages of a disposal process (written and read by ECase.Infrastructure.Xdomea). Refused input throws
/// <see cref="Common.RequestInvalidException"/> with the xdomea problem code (ADR 0016).
/// </summary>
public interface IArchiveMessages
{
    /// <summary>xdomea versions that can be written; the first is the default.</summary>
    IReadOnlyList<string> Versions { get; }

    /// <summary>Aussonderung.Anbieteverzeichnis.0501 (UTF-8 XML).</summary>
    byte[] WriteOffer(MessageParties parties, DateTimeOffset at, IReadOnlyList<OfferFile> files);

    /// <summary>Aussonderung.BewertungEmpfangBestaetigen.0505.</summary>
    byte[] WriteAppraisalReceipt(MessageParties parties, DateTimeOffset at);

    /// <summary>0502: A or V per object; every object must have been offered in the process.</summary>
    IReadOnlyDictionary<Guid, char> ReadAppraisal(System.IO.Stream message, Guid processId, IReadOnlySet<Guid> offered);

    /// <summary>0506: per transferred object, imported or not.</summary>
    IReadOnlyList<ImportedObject> ReadImportConfirmation(System.IO.Stream message, Guid processId, IReadOnlySet<Guid> transferred);

    /// <summary>A receipt that is only a head: 0504 (offer received) or 0507 (transfer received).</summary>
    void ReadReceipt(System.IO.Stream message, Guid processId, string messageTypeCode);
}

public sealed record TransferRequest(Guid ProcessId, string Version, string Authority, string AuthorityUnit, string Archive, IReadOnlyList<(Guid FileId, IReadOnlySet<Guid> ExcludedCases)> Files);

public sealed record TransferProgressInfo(int ObjectsDone, int ObjectsTotal, long BytesDone, long BytesTotal);

public sealed record TransferPackageInfo(string ZipSha256, long ZipBytes, int Files, int Cases, int Documents, int PrimaryFiles, IReadOnlyList<Guid> ObjectIds, IReadOnlyList<string> Warnings);

/// <summary>Builds the 0503 container (message, primary files, SHA-256 manifest, integrity evidence) as a ZIP file.</summary>
public interface ITransferPackages
{
    Task<TransferPackageInfo> BuildAsync(TransferRequest request, string outputPath, IProgress<TransferProgressInfo>? progress, CancellationToken ct);
}

public sealed class DisposalOptions
{
    public const string Section = "Disposal";

    /// <summary>The authority (Behörde) as sender of xdomea messages.</summary>
    public string Authority { get; set; } = "Stadtverwaltung Musterstadt";

    /// <summary>The sending org unit (Registratur).</summary>
    public string AuthorityUnit { get; set; } = "Zentrale Registratur";

    /// <summary>Archives by code; archivists whose org unit is the code see the processes addressed to it.</summary>
    public Dictionary<string, string> Archives { get; set; } = new() { ["ARCH"] = "Stadtarchiv Musterstadt" };

    /// <summary>Folder of finished 0503 containers (and of partial ones while a job runs). Default: beside the content store.</summary>
    public string? ExportPath { get; set; }

    /// <summary>Largest archive message accepted (0502, 0504, 0506, 0507), XML or ZIP.</summary>
    public long MaxMessageBytes { get; set; } = 64L * 1024 * 1024;
}
