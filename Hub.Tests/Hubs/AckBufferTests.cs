using Hub.Client;
using Hub.Server.Admin;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Hubs;

/// <summary>
/// A node gathers acknowledgements and writes each device's once per <c>Delivery:AckFlushInterval</c>: an <c>Ack</c>
/// returns before the store has it, yet a resume of the same device on this node never reads a cursor behind what
/// was acknowledged, and what is held reaches the store within the interval.
/// </summary>
public sealed class AckBufferTests
{
    // What the server sends, as it sends it: no client-side de-duplication, acks only when the test gives them.
    private static Action<HubClientOptions> RawDevice(string device) => o =>
    {
        o.Deduplicate = false;
        o.AutoAck = false;
        o.DeviceId = device;
    };

    [Fact]
    public async Task A_second_connection_of_a_device_resumes_past_what_the_first_acknowledged_a_moment_before()
    {
        // The longest interval: without the write before the resume, the acks would still be held.
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Delivery:AckFlushInterval"] = "00:00:01" });
        await using var alice = await host.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        await using var laptop = await host.ChatAsync("bob", RawDevice("laptop"));
        await laptop.Client.JoinRoomAsync("general");
        for (var i = 0; i < 3; i++)
        {
            await alice.Client.SendToRoomAsync("general", $"m{i}");
        }
        var last = await laptop.WaitForMessageAsync("m2");
        await laptop.Client.AckAsync(last.Id!);

        // The first connection stays open: nothing closed flushes the acks but the second connection's resume.
        await using var second = await host.ChatAsync("bob", RawDevice("laptop"));

        Assert.Equal(0, (await second.WaitForResumeAsync()).Redelivered);
        Assert.Empty(second.Messages);
    }

    [Fact]
    public async Task Acks_of_a_device_that_stays_connected_reach_the_store_within_the_interval()
    {
        await using var host = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Delivery:AckFlushInterval"] = "00:00:00.200" });
        await using var alice = await host.ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        await using var laptop = await host.ChatAsync("bob", RawDevice("laptop"));
        await laptop.Client.JoinRoomAsync("general");
        for (var i = 0; i < 4; i++)
        {
            await alice.Client.SendToRoomAsync("general", $"m{i}");
        }
        var messages = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            messages.Add((await laptop.WaitForMessageAsync($"m{i}")).Id!);
        }
        var overview = host.Services.GetRequiredService<IOverviewStore>();
        async Task<long> PendingAsync(CancellationToken token)
        {
            var (deepest, _) = await overview.GetDeepestQueuesAsync("chat", 100, 100, 10, token);
            return deepest.FirstOrDefault(q => q.User == "bob")?.Pending ?? 0;
        }
        Assert.Equal(4, await PendingAsync(CancellationToken.None));

        // Two calls, one write: only the greatest position of the room counts.
        await laptop.Client.AckAsync(messages[1]);
        await laptop.Client.AckAsync(messages[2]);

        await Poll.UntilAsync(async token => await PendingAsync(token) == 1, "the store has the acks without a reconnect");
    }
}
