using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>Private rooms, invites, kicks, typing and the room list's events between nodes.</summary>
public abstract partial class CrossNodeTests
{
    [Fact]
    public async Task Room_list_events_invites_typing_and_kicks_cross_nodes()
    {
        await using var cluster = await RedisNodes.StartAsync(RedisConfiguration, 2);
        await using var alice = await cluster[0].ChatAsync("alice");
        await using var bob = await cluster[1].ChatAsync("bob");
        await using var carol = await cluster[1].ChatAsync("carol");

        await alice.Client.CreateRoomAsync("general");
        await carol.WaitForEventAsync("created:general:public");
        await alice.Client.CreatePrivateRoomAsync("secret");
        await alice.Client.InviteAsync("secret", "bob");
        await bob.WaitForEventAsync("invited:secret:alice");
        await bob.Client.JoinRoomAsync("secret");

        await bob.Client.TypingAsync("secret");
        await alice.WaitForEventAsync("typing:secret:bob");

        await alice.Client.KickAsync("secret", "bob");
        await bob.WaitForEventAsync("kicked:secret:bob:alice");
        await alice.Client.DeleteRoomAsync("general");
        await carol.WaitForEventAsync("deleted:general");
        // Carol never heard of the private room, nor sees it; nor does bob, kicked from it on the other node.
        Assert.DoesNotContain(carol.Events, e => e.Contains("secret", StringComparison.Ordinal));
        Assert.Empty(await carol.Client.ListRoomsAsync());
        Assert.Empty(await bob.Client.ListRoomsAsync());
    }
}
