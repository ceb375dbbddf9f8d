using System.Diagnostics;
using System.Net;
using System.Text;
using Hub.Client;
using Hub.Contracts;
using Hub.Server.Common;
using Hub.Tests.Cluster;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Faults;

/// <summary>
/// A Redis that keeps its sockets open but answers nothing (frozen with SIGSTOP): calls fail within
/// <c>Redis:CommandTimeout</c>, the node reports not ready, and a send that reached Redis is answered as "may have been
/// stored", never as "nothing stored", because Redis runs it when it wakes.
/// </summary>
public sealed class RedisFreezeTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task While_redis_is_frozen_a_send_fails_fast_saying_it_may_have_been_stored_and_its_retry_with_the_key_is_delivered_once()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await using var cluster = await RedisNodes.StartAsync(redis, 1, new Dictionary<string, string?>
        {
            ["Redis:CommandTimeout"] = CommandTimeout.ToString(),
        });
        var node = cluster[0];
        // The error itself is what this test reads, so Hub.Client's own resend of it is off.
        await using var alice = await node.ChatAsync("alice", o => o.SendRetryTimeout = TimeSpan.Zero);
        await using var bob = await node.ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await alice.Client.SendToRoomAsync("general", "warm-up");
        await bob.WaitForMessageAsync("warm-up");

        var key = ChatClient.NewSendKey();
        await redis.FreezeAsync();
        try
        {
            var started = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<HubInvocationException>(() => alice.Client.SendToRoomAsync("general", "while frozen", key));
            Assert.Equal(HubErrorCodes.StoreOutcomeUnknown, error.Code);
            Assert.True(error.IsRetryable);
            Assert.Equal(StoreOutcomeUnknownException.ClientMessage, error.Message);
            // StackExchange.Redis would wait 5 s; the option (plus its 1 s timer) bounds it.
            Assert.True(started.Elapsed < CommandTimeout * 3.5, $"the send took {started.Elapsed} to fail");

            using var notification = await PostNotificationAsync(node, """{"to":{"user":"bob"},"type":"t","payload":1}""");
            Assert.Equal(HttpStatusCode.GatewayTimeout, notification.StatusCode);
            Assert.Contains("may have been stored", await notification.Content.ReadAsStringAsync());

            await Poll.UntilAsync(async ct => (await node.Http.GetAsync("readyz", ct)).StatusCode == HttpStatusCode.ServiceUnavailable,
                "the frozen Redis makes the node not ready", TimeSpan.FromSeconds(5));
        }
        finally
        {
            await redis.ThawAsync();
        }

        // Redis ran the script when it woke: the retry with the same key is answered with that message, stored once.
        await node.WaitUntilReadyAsync();
        var retried = await alice.RetryWhileClosedAsync(() => alice.Client.SendToRoomAsync("general", "while frozen", key));
        var received = await bob.WaitForMessageAsync("while frozen");
        Assert.Equal(retried.Id, received.Id);
        Assert.Single(bob.Messages.Where(m => m.Text == "while frozen").Select(m => m.Id).Distinct());
        var sent = await alice.RetryWhileClosedAsync(() => alice.Client.SendToRoomAsync("general", "after"));
        Assert.Equal(sent.Id, (await bob.WaitForMessageAsync("after")).Id);
    }

    [Fact]
    public async Task Once_redis_is_back_after_an_outage_sends_work_again_within_about_a_second()
    {
        await using var redis = new RedisServerFixture { Persistent = true };
        await redis.StartAsync();
        await using var cluster = await RedisNodes.StartAsync(redis, 1);
        using (var before = await PostNotificationAsync(cluster[0], """{"to":{"all":true},"type":"t","payload":1}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);
        }

        await redis.StopAsync();
        // The outage itself (not a wait for something): 15 s, long enough for a backoff that grows with failed attempts
        // to be several seconds apart by the end. The node retries every second (LinearRetry); measured here,
        // StackExchange.Redis 3.4's default policy also passes this test, so it guards the behaviour, not our setting.
        await Task.Delay(TimeSpan.FromSeconds(15));
        await redis.StartAsync();
        var back = Stopwatch.StartNew();
        // Asked over HTTP, so no client's own reconnect delay counts.
        await Poll.UntilAsync(async ct =>
        {
            using var response = await PostNotificationAsync(cluster[0], """{"to":{"all":true},"type":"t","payload":2}""");
            return response.StatusCode == HttpStatusCode.Accepted;
        }, "a send works again", TimeSpan.FromSeconds(10));
        Assert.True(back.Elapsed < TimeSpan.FromSeconds(3), $"sends worked again {back.Elapsed} after Redis was back");
    }

    private static async Task<HttpResponseMessage> PostNotificationAsync(HubTestHost host, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, HubPaths.NotificationsApi.TrimStart('/'))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", HubTestHost.ApiKey);
        return await host.Http.SendAsync(request);
    }
}
