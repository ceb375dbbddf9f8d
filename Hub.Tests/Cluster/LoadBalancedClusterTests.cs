using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>
/// The production topology with real processes: redis-server, three Hub.Server processes and nginx; clients
/// connect only through nginx. Under steady traffic a node is killed with SIGKILL: its clients reconnect through
/// nginx to the survivors, every send gets its SendResult, and every message reaches every member, in room order, once.
/// Then the node comes back and takes new connections. <see cref="LoadBalancedRedisClusterModeTests"/> runs the same
/// tests on a Redis Cluster.
/// </summary>
public class LoadBalancedClusterTests
{
    /// <summary>The Redis the nodes share: null for a redis-server of the test's own.</summary>
    protected virtual string? RedisConfiguration => null;

    [Fact]
    public Task A_killed_node_loses_nothing_behind_sticky_nginx_with_negotiation() => RunAsync(sticky: true);

    [Fact]
    public Task A_killed_node_loses_nothing_behind_round_robin_nginx_with_websockets_only_clients() => RunAsync(sticky: false);

    private async Task RunAsync(bool sticky)
    {
        await using var cluster = await NginxCluster.StartAsync(3, sticky, redisConfiguration: RedisConfiguration);
        var nodes = cluster.Nodes;

        // Six members; with round-robin they spread over the three nodes, with ip_hash (one client address here)
        // they all land on the node the hash picks: that node is the one to kill.
        var members = await cluster.ConnectRoomAsync("general", 6);

        var counts = await Task.WhenAll(nodes.Select(n => n.ChatConnectionsAsync()));
        var victim = nodes[Array.IndexOf(counts, counts.Max())];
        Assert.Equal(6, counts.Sum());
        if (!sticky)
        {
            Assert.True(counts.Count(c => c > 0) >= 2, $"round-robin should spread connections: {string.Join(",", counts)}");
        }

        // Steady traffic from two publishers. The client itself sends again, with the same key, what the dead node did
        // not answer, so no send may fail.
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
                try
                {
                    confirmed.Add((await publisher.Client.SendToRoomAsync("general", $"{name}-{i}")).Id);
                }
                catch (Exception ex)
                {
                    failures.Add($"{name}-{i}: {ex.GetType().Name}: {ex.Message}");
                }
            }
        }
        var traffic = Task.WhenAll(PublishAsync(members[1], "p1"), PublishAsync(members[2], "p2"));
        await members[5].WaitForAsync(u => u.Messages.Count >= 40, "for traffic before the kill");

        await victim.KillAsync();
        killed.SetResult();
        await traffic.WaitAsync(TimeSpan.FromSeconds(90));

        string[] expected = [.. confirmed];
        Assert.True(failures.IsEmpty, string.Join(" | ", failures.Take(5)));
        Assert.Equal(300, expected.Length);
        foreach (var member in members)
        {
            await member.WaitForAsync(u => expected.All(id => u.Messages.Any(m => m.Id == id)), "for every confirmed message");
            var seqs = member.Messages.Select(m => m.Seq!.Value).ToList();
            Assert.Equal(seqs.Count, seqs.Distinct().Count());
            Assert.True(seqs.SequenceEqual(seqs.Order()), $"{member.Name} saw the room out of order");
        }
        Assert.Contains(members, m => m.Events.Contains("reconnected"));

        // The node comes back and takes new connections through nginx, and they work.
        await victim.StartAsync();
        var newcomers = await cluster.ConnectUntilNodeTakesConnectionsAsync(victim, "late");
        foreach (var newcomer in newcomers)
        {
            await newcomer.Client.JoinRoomAsync("general");
        }
        await members[0].Client.SendToRoomAsync("general", "welcome");
        foreach (var newcomer in newcomers)
        {
            await newcomer.WaitForMessageAsync("welcome");
        }
    }
}
