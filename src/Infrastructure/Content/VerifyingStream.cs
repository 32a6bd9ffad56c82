using System.Security.Cryptography;
using ECase.Application.Content;
using Stream = System.IO.Stream;

namespace ECase.Infrastructure.Content;

/// <summary>Reads stored bytes and hashes them on the way; at the end of the stream a mismatch throws.</summary>
internal sealed class VerifyingStream(Stream inner, string expectedSha256) : Stream
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _verified;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Observe(buffer[..n]);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken);
        Observe(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private void Observe(ReadOnlySpan<byte> data)
    {
        if (data.Length > 0)
        {
            _sha.AppendData(data);
            return;
        }

        if (_verified) return;
        _verified = true;
        var actual = Convert.ToHexStringLower(_sha.GetHashAndReset());
        if (actual != expectedSha256) throw new ContentCorruptedException(expectedSha256, actual);
    }

    public override void Flush() { }
    public override long Seek(long offset, System.IO.SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _sha.Dispose();
        }

        base.Dispose(disposing);
    }
}
