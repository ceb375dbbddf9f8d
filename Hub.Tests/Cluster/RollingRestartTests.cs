using System.Collections.Concurrent;
using System.Diagnostics;
using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hub.Tests.Cluster;

/// <summary>
/// A rolling restart as an operator does it (docs/operations.md, "Restarting a node"): three Hub.Server processes
/// behind nginx, a room of six members, two publishers sending steadily, and each node in turn stopped with SIGTERM,
/// waited for, started again and waited for until ready. Nobody may notice: every send gets its SendResult, every
/// message reaches every member once and in room order, no client raises Closed, and each restarted node takes
/// connections again.
/// </summary>
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    // Short, so the test is quick: nginx notices a node leaving by its refused connections, not by /readyz.
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Shutdown:DrainDelay"] = "00:00:01",
        ["Shutdown:Timeout"] = "00:00:10",
    };

    // Between two sends of one publisher: steady traffic, not a flood that would make the test about throughput.
    private static readonly TimeSpan SendInterval = TimeSpan.FromMilliseconds(20);

    [Fact]
    public Task Restarting_each_node_in_turn_behind_round_robin_nginx_loses_nothing_and_shows_no_client_an_error() => RunAsync(sticky: false);

    [Fact]
    public Task Restarting_each_node_in_turn_behind_sticky_nginx_with_negotiation_loses_nothing_and_shows_no_client_an_error() => RunAsync(sticky: true);

    private async Task RunAsync(bool sticky)
    {
        var total = Stopwatch.StartNew();
        await using var cluster = await NginxCluster.StartAsync(3, sticky, Settings);
        var members = await cluster.ConnectRoomAsync("general", 6);

        // Two publishers send until the restarts are done; any exception from SendAsync is an error the app had to handle.
        var sent = new ConcurrentDictionary<string, string>();
        var errors = new ConcurrentQueue<string>();
        using var restartsDone = new CancellationTokenSource();
        async Task PublishAsync(HubUser<ChatClient> publisher, string name)
        {
            using var pace = new PeriodicTimer(SendInterval);
            for (var i = 0; i < 5000 && !restartsDone.IsCancellationRequested; i++)
            {
                var text = $"{name}-{i}";
                try
                {
                    sent[(await publisher.Client.SendToRoomAsync("general", text)).Id] = text;
                }
                catch (Exception ex)
                {
                    errors.Enqueue($"{text}: {ex.GetType().Name}: {ex.Message}");
                    return;
                }
                await pace.WaitForNextTickAsync();
            }
        }
        var traffic = Task.WhenAll(PublishAsync(members[1], "p1"), PublishAsync(members[2], "p2"));
        await members[5].WaitForAsync(u => u.Messages.Count >= 20, "for traffic before the first restart");

        var newcomers = 0;
        foreach (var node in cluster.Nodes)
        {
            var restart = Stopwatch.StartNew();
            await node.TerminateAsync();
            Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(20)));
            var stopped = restart.Elapsed;
            await node.StartAsync();
            output.WriteLine($"{node.Address}: stopped in {stopped.TotalSeconds:F1} s, ready again after {restart.Elapsed.TotalSeconds:F1} s; " +
                $"{sent.Count} sends confirmed so far");
            if (sticky)
            {
                // ip_hash sends every client of one address (all of ours) to one node: reach this one directly.
                await cluster.ConnectDirectlyAsync(node, $"direct{node.Port}");
                await Poll.UntilAsync(async _ => await node.ChatConnectionsAsync() > 0, $"{node.Address} counts the connection it took");
            }
            else
            {
                newcomers += (await cluster.ConnectUntilNodeTakesConnectionsAsync(node, $"late{node.Port}-")).Count;
            }
            Assert.True(errors.IsEmpty, string.Join(" | ", errors.Take(5)));
        }
        var beforeLast = members[5].Messages.Count;
        await members[5].WaitForAsync(u => u.Messages.Count >= beforeLast + 20, "for traffic after the last restart");
        await restartsDone.CancelAsync();
        await traffic.WaitAsync(TimeSpan.FromSeconds(40));

        Assert.True(errors.IsEmpty, string.Join(" | ", errors.Take(5)));
        var expected = sent.Keys.ToHashSet();
        foreach (var member in members)
        {
            await member.WaitForAsync(u => expected.IsSubsetOf(u.Messages.Select(m => m.Id)), "for every confirmed message");
            var texts = member.Messages.Select(m => m.Text).ToList();
            Assert.Equal(texts.Count, texts.Distinct().Count());
            Assert.Equal(sent.Count, member.Messages.Count);
            var seqs = member.Messages.Select(m => m.Seq!.Value).ToList();
            Assert.True(seqs.SequenceEqual(seqs.Order()), $"{member.Name} saw the room out of order");
            Assert.DoesNotContain("closed", member.Events);
        }
        Assert.Contains(members, m => m.Events.Contains("reconnected"));
        output.WriteLine($"{sent.Count} messages, {newcomers} newcomers, {total.Elapsed.TotalSeconds:F1} s in all");
    }
}
