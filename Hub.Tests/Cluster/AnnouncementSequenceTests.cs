using Hub.Client;
using Hub.Server.Storage.Redis;
using Hub.Tests.Infrastructure;
using StackExchange.Redis;

namespace Hub.Tests.Cluster;

/// <summary>
/// A node delivers a namespace's messages in one order even when announcements go missing or Redis loses its data:
/// the store numbers messages consecutively, and a dispatcher that sees a jump (or a step back) closes its connections
/// before it delivers anything more, so their clients resume from the queues in order.
/// </summary>
public sealed class AnnouncementSequenceTests
{
    [Fact]
    public async Task A_message_after_a_missed_announcement_is_not_delivered_live_ahead_of_it_and_members_resume_in_order()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        var prefix = "seq" + Guid.NewGuid().ToString("N")[..8];
        await using var cluster = await RedisNodes.StartAsync(redis, 1, new Dictionary<string, string?> { ["Redis:Prefix"] = prefix });
        await using var alice = await cluster[0].ChatAsync("alice");
        await using var bob = await cluster[0].ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await bob.WaitForResumeAsync();
        await alice.Client.SendToRoomAsync("general", "one");
        Assert.False((await bob.WaitForMessageAsync("one")).Redelivered);

        // As if a message had been stored in the room's partition and its announcement lost on the way to this node.
        await using var inspector = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var keys = new RedisKeys(prefix);
        await inspector.GetDatabase().StringIncrementAsync(keys.Counter("chat", keys.RoomPartition("general")));
        // alice's connection is closed too, perhaps before her SendResult: she retries with the send's key, as a
        // client whose answer was lost does, and the message is stored once.
        var key = ChatClient.NewSendKey();
        await alice.RetryWhileClosedAsync(() => alice.Client.SendToRoomAsync("general", "two", key));

        // bob's connection was closed before "two" could go out live: it came with the redelivery after reconnecting.
        var two = await bob.WaitForMessageAsync("two");
        Assert.True(two.Redelivered);
        Assert.True(bob.Resumes.Count >= 2, "bob reconnected and resumed");
        Assert.Equal(["one", "two"], bob.Messages.Select(m => m.Text).Distinct());
    }

    [Fact]
    public async Task After_redis_loses_its_data_connected_clients_are_told_at_the_next_message_and_sends_work_again()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await using var cluster = await RedisNodes.StartAsync(redis, 1);
        await using var alice = await cluster[0].ChatAsync("alice");
        await using var bob = await cluster[0].ChatAsync("bob");
        await bob.WaitForResumeAsync();
        await alice.WaitForResumeAsync();
        await alice.Client.BroadcastAsync("before");
        await bob.WaitForMessageAsync("before");

        await using (var inspector = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true"))
        {
            await inspector.GetServers()[0].FlushAllDatabasesAsync();
        }
        // The first message after the loss numbers from 1 again: the node closes its connections, and the clients'
        // resume says their queues were lost (a new epoch).
        var key = ChatClient.NewSendKey();
        await alice.RetryWhileClosedAsync(() => alice.Client.BroadcastAsync("after the loss", key));

        var resumed = await bob.WaitForResumeAsync(2);
        Assert.False(resumed.Recovered);
        await alice.WaitForResumeAsync(2);
        await alice.Client.CreateRoomAsync("again");
        await alice.Client.SendToRoomAsync("again", "works");
        await alice.WaitForMessageAsync("works");
    }
}
