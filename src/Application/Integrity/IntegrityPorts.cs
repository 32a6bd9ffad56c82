using ECase.Domain.Integrity;

namespace ECase.Application.Integrity;

/// <summary>
/// One thing that does not match. <see cref="Kind"/> is stable: <c>event-altered</c>, <c>event-missing</c>,
/// <c>event-reordered</c>, <c>event-replaced</c>, <c>event-not-in-chain</c>, <c>stream-version-mismatch</c>,
/// <c>seal-leaf-mismatch</c>, <c>seal-root-mismatch</c>, <c>seal-signature-invalid</c>, <c>blob-missing</c>,
/// <c>blob-altered</c>, <c>blob-size-mismatch</c>.
/// </summary>
public sealed record IntegrityProblem(
    string Kind, Guid StreamId, string StreamKind, long? Version, long? Sequence, Guid? EventId, string? EventType, string? Sha256, string Detail);

/// <summary>The head of one stream's hash chain.</summary>
public sealed record ChainHead(Guid StreamId, string StreamKind, long Version, string Hash);

/// <summary>What <c>verify</c> found for one file (Akte) and its cases.</summary>
public sealed record VerificationReport(
    Guid FileId, string? Reference, bool Intact, int Streams, int Events, int UnchainedEvents, int Seals, int Blobs, long BlobBytes,
    double Seconds, IntegrityProblem? FirstMismatch, IReadOnlyList<IntegrityProblem> Problems, IReadOnlyList<ChainHead> Heads);

/// <summary>The problems of one file (Akte) found by <c>verify all</c>, listed as <see cref="VerificationReport"/> lists them.</summary>
public sealed record FileProblems(Guid FileId, string? Reference, IntegrityProblem FirstMismatch, IReadOnlyList<IntegrityProblem> Problems);

/// <summary>
/// What <c>verify all</c> found in the whole store. <see cref="Files"/> lists only the files with problems; problems of
/// seals (root, signature, the chain of seals) and of streams outside any file are in <see cref="OtherProblems"/>.
/// </summary>
public sealed record StoreVerificationReport(
    bool Intact, int FileStreams, int Streams, long Events, long UnchainedEvents, int Seals, int Blobs, long BlobBytes, double Seconds,
    IntegrityProblem? FirstMismatch, IReadOnlyList<FileProblems> Files, IReadOnlyList<IntegrityProblem> OtherProblems);

/// <summary>How far <c>verify all</c> is: <see cref="Phase"/> is <c>chains</c>, <c>seals</c> or <c>content</c>.</summary>
public sealed record VerificationProgress(string Phase, long Events, long TotalEvents, int Blobs, int TotalBlobs, long BlobBytes);

/// <summary>A recorded seal: the Merkle root over chain heads, signed by the server key.</summary>
public sealed record SealInfo(long Id, DateTimeOffset SealedAt, long ChainThrough, int Leaves, string Root, string? PreviousRoot, string Statement, string Signature);

/// <summary>One stream's latest seal and the inclusion proof of its leaf, for an archive to check later.</summary>
public sealed record SealEvidence(SealInfo Seal, int LeafIndex, long LeafVersion, string LeafHash, IReadOnlyList<ProofStep> Proof);

public sealed record StreamEvidence(Guid StreamId, string StreamKind, long HeadVersion, string HeadHash, SealEvidence? LatestSeal)
{
    /// <summary>True when events were chained after the latest seal of this stream (they are covered by the next seal).</summary>
    public bool HeadNewerThanSeal => LatestSeal is null || LatestSeal.LeafVersion < HeadVersion;
}

/// <summary>
/// What a 0503 export (issue #6) embeds per file: the chain head of the file stream and of each case stream, each with its
/// latest seal and inclusion proof, and the certificate that signed the seals.
/// </summary>
public sealed record FileIntegrityEvidence(Guid FileId, StreamEvidence File, IReadOnlyList<StreamEvidence> Cases, string ServerCertificatePem);

/// <summary>Tamper evidence of the event store (ADR 0013).</summary>
public interface IIntegrityService
{
    /// <summary>Chains events committed since the last run (up to Marten's high-water mark). Returns how many.</summary>
    Task<int> ChainPendingAsync(CancellationToken ct);

    /// <summary>Chains what is pending, then seals the heads that changed since the last seal. Null: nothing new to seal.</summary>
    Task<SealInfo?> SealAsync(CancellationToken ct);

    /// <summary>Recomputes the file's chains from the stored rows, checks them against the chain records and the seals, and rehashes the content blobs.</summary>
    Task<VerificationReport?> VerifyFileAsync(Guid fileId, CancellationToken ct);

    /// <summary>
    /// The same checks over the whole store in one ordered pass (every stream, every seal once, every distinct blob once
    /// unless <paramref name="content"/> is false), problems grouped by file.
    /// </summary>
    Task<StoreVerificationReport> VerifyAllAsync(bool content, IProgress<VerificationProgress>? progress, CancellationToken ct);

    Task<FileIntegrityEvidence?> EvidenceAsync(Guid fileId, CancellationToken ct);
}

public sealed class IntegrityOptions
{
    public const string Section = "Integrity";

    /// <summary>How often committed events are chained (milliseconds); 0 switches the background chaining off.</summary>
    public int ChainIntervalMs { get; set; } = 1000;

    /// <summary>How often changed chain heads are sealed (seconds); 0 switches periodic sealing off.</summary>
    public int SealIntervalSeconds { get; set; } = 300;
}
