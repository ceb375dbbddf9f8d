using System.Net;
using System.Net.Http.Json;
using System.Text;
using Hub.Client;
using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Hubs;
using Microsoft.Extensions.DependencyInjection;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>
/// Hub nodes with one redis-server between them: the cross-node tests (<see cref="CrossNodeTests"/>), and what one
/// redis-server going down, restarting or losing its data does to them.
/// </summary>
public sealed class RedisClusterTests(RedisClusterTests.Redis redis) : CrossNodeTests, IClassFixture<RedisClusterTests.Redis>
{
    /// <summary>One redis-server for the class; every test uses its own key prefix.</summary>
    public sealed class Redis : RedisServerFixture;

    protected override string RedisConfiguration => redis.ConnectionString;

    [Fact]
    public async Task While_Redis_is_down_sends_fail_with_retry_and_readiness_drops_then_both_come_back_by_themselves()
    {
        await using var ownRedis = await RedisServerFixture.StartNewAsync();
        await using var cluster = await RedisNodes.StartAsync(ownRedis, 1);
        // Resending off: this test reads the store's refusal itself rather than wait out the client's resend window.
        await using var alice = await cluster[0].ChatAsync("alice", o => o.SendRetryTimeout = TimeSpan.Zero);
        await alice.Client.CreateRoomAsync("general");

        await ownRedis.StopAsync();
        var error = await Assert.ThrowsAsync<HubInvocationException>(() => alice.Client.SendToRoomAsync("general", "lost?"));
        Assert.Equal(StoreUnavailableException.ClientMessage, error.Message);
        Assert.Equal(HubErrorCodes.StoreUnavailable, error.Code);
        Assert.True(error.IsRetryable);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await cluster[0].Http.GetAsync("readyz")).StatusCode);

        // A connection opened now is refused (the backplane cannot subscribe its channels) or closed by the server
        // (presence and redelivery need Redis), and leaves nothing registered behind on the node.
        try
        {
            await using var bob = await cluster[0].RawChatAsync("bob");
            var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
            bob.Closed += e => closed.TrySetResult(e);
            if (!bob.IsClosed)
            {
                await closed.Task.OrTimeout();
            }
        }
        catch (HubConnectionException)
        {
        }
        Assert.Equal(0, cluster[0].AbortConnectionsOf("bob"));

        await ownRedis.StartAsync();
        await cluster[0].WaitUntilReadyAsync();
        // Data is gone (no persistence here): the room must be recreated, and the node works again without a restart.
        await using var aliceAgain = await cluster[0].ChatAsync("alice2");
        await aliceAgain.Client.CreateRoomAsync("general2");
        await aliceAgain.Client.SendToRoomAsync("general2", "back");
        await aliceAgain.WaitForMessageAsync("back");
    }

    [Fact]
    public async Task A_connection_lost_while_its_connect_waits_on_Redis_leaves_no_connection_or_presence_behind()
    {
        await using var ownRedis = await RedisServerFixture.StartNewAsync();
        // Long timeouts: the paused Redis must make the node wait, not fail a probe or a command by itself.
        await using var cluster = await RedisNodes.StartAsync(ownRedis, 1, new Dictionary<string, string?>
        {
            ["Redis:CommandTimeout"] = "00:01:00",
            ["Redis:ProbeInterval"] = "00:10:00",
            ["Redis:ProbeTimeout"] = "00:10:00",
        });
        var dispatcher = cluster[0].Services.GetRequiredService<DeliveryDispatcher<ChatHub>>();
        await using var alice = await cluster[0].ChatAsync("alice");
        await alice.Client.CreateRoomAsync("general");
        await using (var first = await cluster[0].ChatAsync("bob"))
        {
            await first.Client.JoinRoomAsync("general");
        }
        await Poll.UntilAsync(() => dispatcher.ConnectionCount == 1, "bob's first connection is gone");

        // WRITE pauses scripts (presence, the queue) but not SUBSCRIBE, so the backplane lets the connection through
        // and the hub's OnConnectedAsync registers it, then waits on the presence script.
        await using var inspector = await ownRedis.ConnectInspectorAsync();
        await inspector.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "60000", "WRITE");
        try
        {
            await using var bob = await cluster[0].RawChatAsync("bob");
            await Poll.UntilAsync(() => dispatcher.ConnectionCount == 2, "bob's connection is registered and waiting on Redis");
            Assert.Equal(1, cluster[0].AbortConnectionsOf("bob"));
        }
        finally
        {
            await inspector.GetDatabase().ExecuteAsync("CLIENT", "UNPAUSE");
        }

        // OnConnectedAsync failed (cancelled), and SignalR does not call OnDisconnectedAsync then: the hub itself must
        // have undone the registration and the presence it may have written.
        await Poll.UntilAsync(() => dispatcher.ConnectionCount == 1, "bob's aborted connection is forgotten");
        await Poll.UntilAsync(async ct => (await alice.Client.GetMembersAsync("general", ct)).Single(m => m.User == "bob") is { Online: false },
            "bob shows offline");
    }

    [Fact]
    public async Task A_redis_restart_under_traffic_loses_no_message_that_got_a_send_result()
    {
        await using var ownRedis = new RedisServerFixture { Persistent = true };
        await ownRedis.StartAsync();
        await using var cluster = await RedisNodes.StartAsync(ownRedis, 2);
        await using var alice = await cluster[0].ChatAsync("alice");
        await using var bob = await cluster[1].ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");

        var confirmed = new List<string>();
        var refused = 0;
        var failures = new List<string>();
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var traffic = Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                if (i == 100)
                {
                    await restarted.Task; // keep sending after the restart too
                }
                var reconnects = alice.Events.Count(e => e == "reconnected");
                try
                {
                    confirmed.Add((await alice.Client.SendToRoomAsync("general", $"m{i}")).Id);
                }
                catch (HubInvocationException ex)
                {
                    refused++; // "Store unavailable, retry.": the sender knows it was not stored.
                    failures.Add(ex.Message);
                    await cluster[0].WaitUntilReadyAsync();
                }
                catch (Exception ex) when (ex is InvalidOperationException or HubConnectionClosedException)
                {
                    // Not connected, or closed with the send in flight (the node closes connections after the gap):
                    // no result, so not confirmed. The client may not have noticed the close yet: wait for its
                    // reconnect, not for its state.
                    failures.Add(ex.GetType().Name + ": " + ex.Message);
                    refused++;
                    await alice.WaitForAsync(u => u.Events.Count(e => e == "reconnected") > reconnects, "to reconnect");
                }
            }
        });
        await bob.WaitForAsync(u => u.Messages.Count >= 20, "for traffic to flow");
        await ownRedis.StopAsync();
        await ownRedis.StartAsync();
        await cluster[0].WaitUntilReadyAsync();
        await cluster[1].WaitUntilReadyAsync();
        restarted.SetResult();
        await traffic.WaitAsync(TimeSpan.FromSeconds(60));

        string[] expected = [.. confirmed];
        Assert.True(expected.Length >= 200,
            $"only {expected.Length} sends confirmed, {refused} refused: {string.Join(" | ", failures.Distinct().Take(5))}");
        await bob.WaitForAsync(u => expected.All(id => u.Messages.Any(m => m.Id == id)), "for every confirmed message");
        Assert.Equal(bob.Messages.Count, bob.Messages.Select(m => m.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_client_resuming_after_redis_lost_its_data_is_told_history_was_not_recovered()
    {
        await using var ownRedis = await RedisServerFixture.StartNewAsync();
        await using var cluster = await RedisNodes.StartAsync(ownRedis, 1);
        await using var bob = await cluster[0].ChatAsync("bob");
        var first = await bob.WaitForResumeAsync();

        // No persistence: a restart is a data loss. The node notices the gap and closes connections; bob resumes.
        await ownRedis.StopAsync();
        await ownRedis.StartAsync();

        await bob.WaitForAsync(u => u.Resumes.Count >= 2, "for a second Resumed");
        var second = bob.Resumes[^1];
        Assert.NotEqual(first.Epoch, second.Epoch);
        Assert.False(second.Recovered);
    }
}
