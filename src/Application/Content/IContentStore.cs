namespace ECase.Application.Content;

/// <summary>Bytes received and hashed into a staging file, not yet part of the store.</summary>
public sealed record StagedContent(string StagingPath, string Sha256, long Size, byte[] Head);

/// <summary>
/// Content-addressed store for document bytes (ADR 0004). Events carry only hash, size and media type;
/// the bytes live here under their SHA-256 and are verified on every read.
/// </summary>
public interface IContentStore
{
    /// <summary>Streams <paramref name="content"/> into a staging file while hashing it.</summary>
    /// <exception cref="ContentTooLargeException">more than <paramref name="maxBytes"/> arrived.</exception>
    Task<StagedContent> StageAsync(Stream content, long maxBytes, CancellationToken ct);

    /// <summary>Moves staged bytes into the store (fsync, atomic rename). True when these bytes were not stored before.</summary>
    Task<bool> PromoteAsync(StagedContent staged, CancellationToken ct);

    /// <summary>Deletes a staging file that will not be promoted.</summary>
    void Discard(StagedContent staged);

    /// <summary>Opens stored bytes for reading; the stream fails at its end if the bytes do not match the hash.</summary>
    /// <exception cref="ContentMissingException">nothing is stored under the hash.</exception>
    Stream OpenRead(string sha256);

    bool Exists(string sha256);

    void Delete(string sha256);
}

public sealed class ContentStoreOptions
{
    public const string Section = "ContentStore";

    /// <summary>Folder of the store; staging files live in its <c>staging</c> subfolder, on the same file system.</summary>
    public string Root { get; set; } = ".ecase/content";

    /// <summary>Largest upload (all files of one request together). Default 200 MB.</summary>
    public long MaxUploadBytes { get; set; } = 200L * 1024 * 1024;
}

public sealed class ContentTooLargeException(long limit) : Exception($"The upload exceeds the limit of {limit} bytes.")
{
    public long Limit { get; } = limit;
}

public sealed class ContentMissingException(string sha256) : Exception($"No content is stored under {sha256}.");

/// <summary>Stored bytes no longer match their recorded hash: the store was tampered with or the disk failed.</summary>
public sealed class ContentCorruptedException(string sha256, string actual)
    : System.IO.IOException($"Stored content {sha256} is corrupted (its bytes hash to {actual}).");
