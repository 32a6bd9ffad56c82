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

    public static byte[] Genesis => new byte[Size];

    public static byte[] Next(ReadOnlySpan<byte> previous, string canonical)
    {
        if (previous.Length != Size) throw new ArgumentException("A chain hash has 32 bytes.", nameof(previous));
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Domain);
        sha.AppendData(previous);
        sha.AppendData(Encoding.UTF8.GetBytes(canonical));
        return sha.GetHashAndReset();
    }
}
