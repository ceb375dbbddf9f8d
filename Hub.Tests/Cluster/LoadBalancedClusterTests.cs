using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;
using System.Net.Http.Json;

namespace Hub.Tests.Cluster;

/// <summary>
/// The production topology with real processes: redis-server, three Hub.Server processes and nginx; clients
/// connect only through nginx. Under steady traffic a node is killed with SIGKILL: its clients reconnect through
/// nginx to the survivors, and every message that got a SendResult reaches every member, in room order, once.
/// Then the node comes back and takes new connections.
/// </summary>
public sealed class LoadBalancedClusterTests
{
    private const string SigningKey = "cluster-test-signing-key-0123456789abcdef";

    [Fact]
    public Task A_killed_node_loses_nothing_behind_sticky_nginx_with_negotiation() => RunAsync(sticky: true);

    [Fact]
    public Task A_killed_node_loses_nothing_behind_round_robin_nginx_with_websockets_only_clients() => RunAsync(sticky: false);

    private static async Task RunAsync(bool sticky)
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        var settings = new Dictionary<string, string>
        {
            ["Redis:Configuration"] = redis.ConnectionString,
            ["Redis:Prefix"] = "lb" + Guid.NewGuid().ToString("N")[..8],
            ["Auth:SigningKey"] = SigningKey,
            ["Auth:DevTokens"] = "true",
            ["Limits:SendsPerSecond"] = "100000",
            ["Limits:SendBurst"] = "100000",
        };
        var nodes = new List<HubServerProcess>();
        await using var cleanup = new AsyncCleanup(nodes);
        for (var i = 0; i < 3; i++)
        {
            nodes.Add(await HubServerProcess.StartAsync(settings));
        }
        await using var nginx = await NginxProcess.StartAsync(nodes.Select(n => n.Address), sticky);
        using var http = new HttpClient { BaseAddress = nginx.BaseAddress };

        // Six members; with round-robin they spread over the three nodes, with ip_hash (one client address here)
        // they all land on the node the hash picks: that node is the one to kill.
        var members = new List<HubUser<ChatClient>>();
        await using var cleanupMembers = new AsyncCleanup(members);
        for (var i = 0; i < 6; i++)
        {
            members.Add(await ConnectAsync(http, nginx, $"user{i}", skipNegotiation: !sticky));
        }
        await members[0].Client.CreateRoomAsync("general");
        foreach (var member in members.Skip(1))
        {
            await member.Client.JoinRoomAsync("general");
        }

        var counts = await Task.WhenAll(nodes.Select(n => n.ChatConnectionsAsync()));
        var victim = nodes[Array.IndexOf(counts, counts.Max())];
        Assert.Equal(6, counts.Sum());
        if (!sticky)
        {
            Assert.True(counts.Count(c => c > 0) >= 2, $"round-robin should spread connections: {string.Join(",", counts)}");
        }

        // Steady traffic from two publishers; a send that fails is not confirmed (the sender would retry).
        var confirmed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task PublishAsync(HubUser<ChatClient> publisher, string name)
        {
            for (var i = 0; i < 150; i++)
            {
                if (i == 50)
                {
                    await killed.Task;
                }
                // A sender without a SendResult does not know the message was stored: it retries (bounded).
                for (var attempt = 0; ; attempt++)
                {
                    var reconnects = publisher.Events.Count(e => e == "reconnected");
                    try
                    {
                        confirmed.Add((await publisher.Client.SendToRoomAsync("general", $"{name}-{i}")).Id);
                        break;
                    }
                    catch (Exception ex) when (attempt < 20 && ex is HubInvocationException or InvalidOperationException or HubConnectionClosedException)
                    {
                        failures.Add(ex.GetType().Name + ": " + ex.Message);
                        if (ex is not HubInvocationException)
                        {
                            // The connection is gone (its node died): wait for the client to come back through nginx.
                            await publisher.WaitForAsync(u => u.Events.Count(e => e == "reconnected") > reconnects, "to reconnect");
                        }
                    }
                }
            }
        }
        var traffic = Task.WhenAll(PublishAsync(members[1], "p1"), PublishAsync(members[2], "p2"));
        await members[5].WaitForAsync(u => u.Messages.Count >= 40, "for traffic before the kill");

        await victim.KillAsync();
        killed.SetResult();
        await traffic.WaitAsync(TimeSpan.FromSeconds(90));

        string[] expected = [.. confirmed];
        Assert.True(expected.Length >= 300, $"only {expected.Length} of 300 sends were confirmed: {string.Join(" | ", failures.Distinct().Take(5))}");
        foreach (var member in members)
        {
            await member.WaitForAsync(u => expected.All(id => u.Messages.Any(m => m.Id == id)), "for every confirmed message");
            var seqs = member.Messages.Select(m => m.Seq!.Value).ToList();
            Assert.Equal(seqs.Count, seqs.Distinct().Count());
            Assert.True(seqs.SequenceEqual(seqs.Order()), $"{member.Name} saw the room out of order");
        }
        Assert.Contains(members, m => m.Events.Contains("reconnected"));

        // The node comes back and takes new connections through nginx.
        await victim.StartAsync();
        var newcomers = new List<HubUser<ChatClient>>();
        await using var cleanupNewcomers = new AsyncCleanup(newcomers);
        // nginx keeps a failed node out for its fail_timeout (2 s), so newcomers keep coming, bounded in time, until one
        // lands there; each attempt is a real client connecting through nginx.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (var i = 0; DateTime.UtcNow < deadline && await victim.ChatConnectionsAsync() == 0; i++)
        {
            var newcomer = await ConnectAsync(http, nginx, $"late{i}", skipNegotiation: !sticky);
            newcomers.Add(newcomer);
            await newcomer.Client.JoinRoomAsync("general");
            await members[0].Client.SendToRoomAsync("general", $"welcome late{i}");
            await newcomer.WaitForMessageAsync($"welcome late{i}");
        }
        Assert.True(await victim.ChatConnectionsAsync() > 0, "the restarted node took no new connection");
    }

    private static async Task<HubUser<ChatClient>> ConnectAsync(HttpClient http, NginxProcess nginx, string user, bool skipNegotiation)
    {
        var response = await http.PostAsJsonAsync(HubPaths.Token.TrimStart('/'), new TokenRequest(user));
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        var hubUser = new HubUser<ChatClient>(user, new ChatClient(nginx.BaseAddress, new HubClientOptions
        {
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(token),
            SkipNegotiation = skipNegotiation,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(100),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        }));
        await hubUser.Client.StartAsync().OrTimeout();
        return hubUser;
    }

    private sealed class AsyncCleanup(System.Collections.IEnumerable items) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var item in items.Cast<IAsyncDisposable>().Reverse())
            {
                await item.DisposeAsync();
            }
        }
    }
}
