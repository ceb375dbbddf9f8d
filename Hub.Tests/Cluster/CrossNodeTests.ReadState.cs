using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>Read state across nodes: the room's and the conversation's read positions live in their own slots.</summary>
public abstract partial class CrossNodeTests
{
    [Fact]
    public async Task A_second_device_on_another_node_sees_the_same_unread_counts_and_the_read_receipts()
    {
        await using var cluster = await RedisNodes.StartAsync(RedisConfiguration, 2);
        await using var alice = await cluster[0].ChatAsync("alice");
        await using var laptop = await cluster[0].ChatAsync("bob", o => o.DeviceId = "laptop");
        await using var phone = await cluster[1].ChatAsync("bob", o => o.DeviceId = "phone");
        await alice.Client.CreateRoomAsync("general");
        await laptop.Client.JoinRoomAsync("general");
        for (var i = 1; i <= 3; i++)
        {
            await alice.Client.SendToRoomAsync("general", $"m{i}");
            await alice.Client.SendToUserAsync("bob", $"dm{i}");
        }
        await phone.WaitForMessageAsync("dm3");

        var before = await phone.Client.MyRoomsAsync();
        await laptop.Client.MarkReadAsync("general", 3);
        await laptop.Client.MarkReadAsync(ConversationAddress.For("alice"), 1);
        await phone.WaitForEventAsync("read:general:bob:3");
        await phone.WaitForEventAsync("read:@alice:bob:1");
        await alice.WaitForEventAsync("read:@bob:bob:1");
        var after = await phone.Client.MyRoomsAsync();

        Assert.Equal([("conversation", "alice", 3L), ("room", "general", 3L)], before.Select(r => (r.Kind, r.Name, r.Unread)).Order());
        Assert.Equal([("conversation", "alice", 2L), ("room", "general", 0L)], after.Select(r => (r.Kind, r.Name, r.Unread)).Order());
        Assert.Equal(["dm1", "dm2", "dm3"], (await phone.Client.GetConversationAsync("alice", null, 10)).Select(m => m.Text));
    }
}
