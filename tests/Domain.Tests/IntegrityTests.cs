using ECase.Domain.Integrity;

namespace ECase.Domain.Tests;

public sealed class IntegrityTests
{
    private static SealLeaf Leaf(int n) => new(Fixtures.Id(n), n, ChainHash.Next(ChainHash.Genesis, $"[{n}]"));

    [Fact]
    public void A_chain_hash_depends_on_the_previous_hash_and_every_character_of_the_event()
    {
        var h1 = ChainHash.Next(ChainHash.Genesis, """[1, {"Title": "a"}]""");

        Assert.Equal(h1, ChainHash.Next(ChainHash.Genesis, """[1, {"Title": "a"}]"""));
        Assert.NotEqual(h1, ChainHash.Next(ChainHash.Genesis, """[1, {"Title": "b"}]"""));
        Assert.NotEqual(ChainHash.Next(h1, "[2]"), ChainHash.Next(ChainHash.Genesis, "[2]"));
    }

    [Fact]
    public void The_chain_hash_of_the_utf8_bytes_is_the_chain_hash_of_the_text()
    {
        const string Canonical = """[1, {"Title": "Baugenehmigung für Straße 7 – Änderung"}]""";

        Assert.Equal(ChainHash.Next(ChainHash.Genesis, Canonical), ChainHash.Next(ChainHash.Genesis, System.Text.Encoding.UTF8.GetBytes(Canonical)));
        // SHA-256("ecase-chain-1" 0x00 || 32 zero bytes || UTF-8 text), computed independently (Python hashlib).
        Assert.Equal("4c8a21807e86edd6ced00b6d2389b8b907b47bb475abfcd5f7db19d60a5d5ab8", Convert.ToHexStringLower(ChainHash.Next(ChainHash.Genesis, System.Text.Encoding.UTF8.GetBytes(Canonical))));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(33)]
    public void Every_leaf_has_an_inclusion_proof_that_leads_to_the_root(int count)
    {
        var leaves = Enumerable.Range(1, count).Select(Leaf).ToList();
        var root = MerkleTree.Root(leaves);

        for (var i = 0; i < count; i++)
            Assert.True(MerkleTree.VerifyProof(leaves[i], MerkleTree.Proof(leaves, i), root), $"leaf {i} of {count}");
    }

    [Fact]
    public void A_changed_leaf_does_not_verify_against_the_root()
    {
        var leaves = Enumerable.Range(1, 5).Select(Leaf).ToList();
        var root = MerkleTree.Root(leaves);
        var proof = MerkleTree.Proof(leaves, 2);

        Assert.False(MerkleTree.VerifyProof(leaves[2] with { Version = 4 }, proof, root));
        Assert.False(MerkleTree.VerifyProof(leaves[2] with { Hash = ChainHash.Genesis }, proof, root));
        Assert.NotEqual(root, MerkleTree.Root([.. leaves.Take(4)]));
    }
}
