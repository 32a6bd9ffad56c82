using System.Security.Cryptography;
using System.Text;

namespace ECase.Domain.Integrity;

/// <summary>One stream's chain head as it goes into a seal.</summary>
public sealed record SealLeaf(Guid StreamId, long Version, byte[] Hash);

/// <summary>One step of an inclusion proof: the sibling hash and on which side it sits.</summary>
public sealed record ProofStep(string Sibling, bool SiblingOnLeft);

/// <summary>
/// Merkle tree over chain heads (ADR 0013). Leaves and inner nodes are hashed with distinct prefixes (0x00 / 0x01, as in
/// RFC 6962) so a leaf can never pass for a node; an odd node at the end of a level moves up unchanged (no duplication).
/// </summary>
public static class MerkleTree
{
    public static byte[] LeafHash(SealLeaf leaf)
    {
        var text = Encoding.UTF8.GetBytes($"{leaf.StreamId:D}:{leaf.Version}:");
        var buffer = new byte[1 + text.Length + leaf.Hash.Length];
        buffer[0] = 0x00;
        text.CopyTo(buffer, 1);
        leaf.Hash.CopyTo(buffer, 1 + text.Length);
        return SHA256.HashData(buffer);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * ChainHash.Size)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + ChainHash.Size)..]);
        return SHA256.HashData(buffer);
    }

    public static byte[] Root(IReadOnlyList<SealLeaf> leaves) => Levels(leaves)[^1][0];

    /// <summary>The sibling hashes from leaf <paramref name="index"/> up to the root.</summary>
    public static IReadOnlyList<ProofStep> Proof(IReadOnlyList<SealLeaf> leaves, int index)
    {
        var steps = new List<ProofStep>();
        var levels = Levels(leaves);
        for (var level = 0; level < levels.Count - 1; level++)
        {
            var nodes = levels[level];
            var sibling = index % 2 == 0 ? index + 1 : index - 1;
            if (sibling < nodes.Count) steps.Add(new ProofStep(Convert.ToHexStringLower(nodes[sibling]), SiblingOnLeft: index % 2 == 1));
            index /= 2;
        }

        return steps;
    }

    public static bool VerifyProof(SealLeaf leaf, IReadOnlyList<ProofStep> proof, ReadOnlySpan<byte> root)
    {
        var hash = LeafHash(leaf);
        foreach (var step in proof)
        {
            var sibling = Convert.FromHexString(step.Sibling);
            hash = step.SiblingOnLeft ? NodeHash(sibling, hash) : NodeHash(hash, sibling);
        }

        return hash.AsSpan().SequenceEqual(root);
    }

    private static List<List<byte[]>> Levels(IReadOnlyList<SealLeaf> leaves)
    {
        if (leaves.Count == 0) throw new ArgumentException("A Merkle tree needs at least one leaf.", nameof(leaves));
        var levels = new List<List<byte[]>> { leaves.Select(LeafHash).ToList() };
        while (levels[^1].Count > 1)
        {
            var below = levels[^1];
            var up = new List<byte[]>((below.Count + 1) / 2);
            for (var i = 0; i < below.Count; i += 2)
                up.Add(i + 1 < below.Count ? NodeHash(below[i], below[i + 1]) : below[i]);
            levels.Add(up);
        }

        return levels;
    }
}
