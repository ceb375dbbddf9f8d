using Hub.Client;
using Hub.Server.Delivery;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Faults;

/// <summary>
/// A node's gathered acks (<see cref="AckBuffer"/>) whose write Redis refuses stay with the node and are written once
/// Redis takes writes again: a failed write never loses an ack, it only delays it.
/// </summary>
public sealed class AckWriteFailureTests
{
    [Fact]
    public async Task Acks_whose_write_redis_refuses_are_kept_and_written_once_it_accepts_writes_again()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        var logs = new CollectingLoggerProvider();
        await using var node = await HubTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redis.ConnectionString + ",connectTimeout=2000",
            ["Redis:Prefix"] = "t" + Guid.NewGuid().ToString("N")[..10],
            ["Delivery:AckFlushInterval"] = "00:00:00.100",
        }, configure: builder => builder.Logging.AddProvider(logs));
        await node.WaitUntilReadyAsync();
        await using var alice = await node.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        static void Laptop(HubClientOptions o)
        {
            o.AutoAck = false;
            o.Deduplicate = false;
            o.DeviceId = "laptop";
        }
        await using var laptop = await node.ChatAsync("bob", Laptop);
        await laptop.Client.JoinRoomAsync("general");
        for (var i = 0; i < 3; i++)
        {
            await alice.Client.SendToRoomAsync("general", $"m{i}");
        }
        var last = await laptop.WaitForMessageAsync("m2");

        // Out of memory with no eviction: Redis refuses every write (the ack script among them) and runs none of it,
        // unlike a timeout, after which a frozen Redis may still run the write. Connections stay up meanwhile.
        await using var inspector = await redis.ConnectInspectorAsync();
        var server = inspector.GetServer(inspector.GetEndPoints()[0]);
        await server.ConfigSetAsync("maxmemory-policy", "noeviction");
        await server.ConfigSetAsync("maxmemory", "1");
        try
        {
            // The node only takes the ack: the call does not wait for the store.
            await laptop.Client.AckAsync(last.Id!);
            await Poll.UntilAsync(() => logs.Entries.Any(e => e.Category == typeof(AckBuffer).FullName && e.Level == LogLevel.Warning),
                "the write of the ack is refused and the node says it keeps it", TimeSpan.FromSeconds(15));
        }
        finally
        {
            await server.ConfigSetAsync("maxmemory", "0");
        }

        // A new connection of the device reads its cursor: had the refused write dropped the ack, it would still be
        // before m0 and all three would come again.
        await using var again = await node.ChatAsync("bob", Laptop);
        Assert.Equal(0, (await again.WaitForResumeAsync()).Redelivered);
    }
}
