using Hub.Server.Delivery;

namespace Hub.Tests.Delivery;

/// <summary>Scopes: one spelling each, so a conversation is the same log whoever writes first.</summary>
public sealed class DeliveryScopeTests
{
    [Fact]
    public void A_conversation_is_the_same_scope_whatever_the_order_of_its_parties()
    {
        var scope = DeliveryScope.Conversation("zoe", "adam");

        Assert.Equal(DeliveryScope.Conversation("adam", "zoe"), scope);
        Assert.Equal(("adam/zoe", "d/adam/zoe"), (scope.Name, scope.Key));
        // Ordinal: upper case sorts before lower case.
        Assert.Equal("Zed/adam", DeliveryScope.Conversation("adam", "Zed").Name);
    }

    [Fact]
    public void The_peer_of_a_party_is_the_other_party_and_of_oneself_oneself()
    {
        var scope = DeliveryScope.Conversation("zoe", "adam");

        Assert.Equal(("zoe", "adam"), (scope.PeerOf("adam"), scope.PeerOf("zoe")));
        Assert.Equal("alice", DeliveryScope.Conversation("alice", "alice").PeerOf("alice"));
    }

    [Fact]
    public void Every_kind_of_scope_parses_back_from_its_key()
    {
        foreach (var scope in new[] { DeliveryScope.User, DeliveryScope.Room("general"), DeliveryScope.Conversation("b", "a") })
        {
            Assert.True(DeliveryScope.TryParseKey(scope.Key, out var parsed));
            Assert.Equal(scope, parsed);
            Assert.Equal(scope.Key, scope.ToString());
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("x/y")]
    [InlineData("r/")]
    [InlineData("r")]
    [InlineData("r/a/b")]
    [InlineData("d/a")]
    [InlineData("d/a/")]
    [InlineData("d//a")]
    [InlineData("d/a/b/c")]
    [InlineData("d/b/a")]
    [InlineData("U")]
    [InlineData("u/")]
    public void Anything_else_is_not_a_scope(string key)
    {
        Assert.False(DeliveryScope.TryParseKey(key, out _));
    }
}
