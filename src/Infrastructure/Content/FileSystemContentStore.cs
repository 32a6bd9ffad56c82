using System.Buffers;
using System.Security.Cryptography;
using ECase.Application.Content;
using Microsoft.Extensions.Options;
using Directory = System.IO.Directory;
using FileMode = System.IO.FileMode;
using FileStream = System.IO.FileStream;
using FileOptions = System.IO.FileOptions;
using IOFile = System.IO.File;
using Path = System.IO.Path;
using Stream = System.IO.Stream;

namespace ECase.Infrastructure.Content;

/// <summary>
/// Content-addressed store on local disk (ADR 0004): <c>root/ab/cd/abcd…</c>. Writes go to a staging file that is
/// hashed while it is written, fsynced, then renamed into place; reads verify the hash as the bytes go out.
/// </summary>
public sealed class FileSystemContentStore : IContentStore
{
    private const int BufferSize = 128 * 1024;
    private const int HeadSize = 16;
    private readonly string _root;
    private readonly string _staging;

    public FileSystemContentStore(IOptions<ContentStoreOptions> options)
    {
        _root = Path.GetFullPath(options.Value.Root);
        _staging = Path.Combine(_root, "staging");
        Directory.CreateDirectory(_staging);
    }

    public async Task<StagedContent> StageAsync(Stream content, long maxBytes, CancellationToken ct)
    {
        var path = Path.Combine(_staging, $"{Guid.NewGuid():N}.tmp");
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var head = new byte[HeadSize];
            var headLength = 0;
            long size = 0;
            // Unbuffered stream, pooled chunk: a fresh 128 KB array per upload lands on the large object heap and
            // drives full garbage collections at a few hundred uploads per second.
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                await using var target = new FileStream(path, FileMode.CreateNew, System.IO.FileAccess.Write, System.IO.FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > maxBytes) throw new ContentTooLargeException(maxBytes);
                    if (headLength < HeadSize)
                    {
                        var n = Math.Min(HeadSize - headLength, read);
                        buffer.AsSpan(0, n).CopyTo(head.AsSpan(headLength));
                        headLength += n;
                    }

                    sha.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                }

                target.Flush(flushToDisk: true);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return new StagedContent(path, Convert.ToHexStringLower(sha.GetHashAndReset()), size, head[..headLength]);
        }
        catch
        {
            IOFile.Delete(path);
            throw;
        }
    }

    public Task<bool> PromoteAsync(StagedContent staged, CancellationToken ct)
    {
        var target = PathOf(staged.Sha256);
        if (IOFile.Exists(target))
        {
            IOFile.Delete(staged.StagingPath);
            return Task.FromResult(false);
        }

        var dir = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(dir);
        try
        {
            IOFile.Move(staged.StagingPath, target, overwrite: false);
        }
        catch (System.IO.IOException) when (IOFile.Exists(target))
        {
            // Someone stored the same bytes a moment earlier: they are the same content.
            IOFile.Delete(staged.StagingPath);
            return Task.FromResult(false);
        }

        FsyncDirectory(dir);
        return Task.FromResult(true);
    }

    public void Discard(StagedContent staged) => IOFile.Delete(staged.StagingPath);

    public Stream OpenRead(string sha256)
    {
        var path = PathOf(sha256);
        if (!IOFile.Exists(path)) throw new ContentMissingException(sha256);
        return new VerifyingStream(new FileStream(path, FileMode.Open, System.IO.FileAccess.Read, System.IO.FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan), sha256);
    }

    public bool Exists(string sha256) => IOFile.Exists(PathOf(sha256));

    public void Delete(string sha256) => IOFile.Delete(PathOf(sha256));

    private string PathOf(string sha256)
    {
        if (!Domain.Cases.ContentRef.IsSha256Hex(sha256)) throw new ArgumentException("Not a SHA-256 hex digest.", nameof(sha256));
        return Path.Combine(_root, sha256[..2], sha256[2..4], sha256);
    }

    /// <summary>Makes a rename durable: on Linux the new directory entry is only safe once the directory is fsynced.</summary>
    private static void FsyncDirectory(string dir)
    {
        if (OperatingSystem.IsLinux()) FsyncNative.FsyncDirectory(dir);
    }
}
