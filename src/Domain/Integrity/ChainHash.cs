using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ECase.Domain.Integrity;

/// <summary>
/// The per-stream hash chain (ADR 0013): <c>h(v) = SHA-256("ecase-chain-1" 0x00 || h(v-1) || canonical(v))</c>, with
/// 32 zero bytes before the first event. <c>canonical</c> is the event row as PostgreSQL renders it
/// (sequence, id, stream, version, type, .NET type, tenant, timestamp in microseconds, data) — see the chain SQL.
/// </summary>
public static class ChainHash
{
    public const int Size = 32;

    private static readonly byte[] Domain = "ecase-chain-1\0"u8.ToArray();

    [ThreadStatic]
    private static IncrementalHash? _sha;

    public static byte[] Genesis => new byte[Size];

    public static byte[] Next(ReadOnlySpan<byte> previous, string canonical) => Next(previous, Encoding.UTF8.GetBytes(canonical));

    /// <param name="canonical">The canonical form in UTF-8.</param>
    public static byte[] Next(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> canonical)
    {
        if (previous.Length != Size) throw new ArgumentException("A chain hash has 32 bytes.", nameof(previous));
        // verify hashes every stored event, this is its inner loop: one contiguous buffer, and a hash context per thread
        // that is reset rather than created and freed for every event.
        var length = Domain.Length + Size + canonical.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Domain.CopyTo(buffer, 0);
            previous.CopyTo(buffer.AsSpan(Domain.Length));
            canonical.CopyTo(buffer.AsSpan(Domain.Length + Size));
            var sha = _sha ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha.AppendData(buffer, 0, length);
            return sha.GetHashAndReset();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
