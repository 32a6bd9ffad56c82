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
