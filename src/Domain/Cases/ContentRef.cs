using ECase.Domain.Common;

namespace ECase.Domain.Cases;

/// <summary>
/// One stored content blob as events see it: hash, size, media type and the original file name.
/// The bytes live in the content store under their SHA-256, never in an event.
/// </summary>
public sealed record ContentRef(string Sha256, long Size, string MediaType, string FileName)
{
    public const int MaxFileNameLength = 255;

    public static readonly Rejection InvalidFileName = new(
        "file-name-invalid", "A file name must be a plain name: no path, no '..', no control characters, at most 255 characters.", RejectionKind.Invalid);

    public static readonly Rejection InvalidHash = new("content-hash-invalid", "A content hash is 64 lowercase hex digits (SHA-256).", RejectionKind.Invalid);

    /// <summary>A plain file name: nothing that could be read as a path on any platform.</summary>
    public static bool IsPlainFileName(string? name) =>
        !string.IsNullOrWhiteSpace(name)
        && name.Length <= MaxFileNameLength
        && name is not "." and not ".."
        && !name.Contains("..", StringComparison.Ordinal)
        && name.IndexOfAny(['/', '\\', ':']) < 0
        && !name.Any(char.IsControl)
        && name.Trim() == name;

    public static bool IsSha256Hex(string? hash) =>
        hash is { Length: 64 } && hash.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public static readonly Rejection InvalidContent = new("content-invalid", "Content needs a size of at least 0 bytes and a media type.", RejectionKind.Invalid);

    public Rejection? Validate() =>
        !IsPlainFileName(FileName) ? InvalidFileName
        : !IsSha256Hex(Sha256) ? InvalidHash
        : Size < 0 || string.IsNullOrWhiteSpace(MediaType) ? InvalidContent
        : null;
}
