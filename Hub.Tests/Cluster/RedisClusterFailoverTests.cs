using System.Collections.Concurrent;
using System.Diagnostics;
using Hub.Client;
using Hub.Server.Storage.Redis;
using Hub.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hub.Tests.Cluster;

/// <summary>
/// Three Hub nodes on a real Redis Cluster with <c>Redis:WaitForReplicas=1</c>, a room with members on every node and
/// two publishers sending with idempotency keys (Hub.Client sends again, with the same key, what was answered "Store
/// unavailable, retry." or "outcome unknown"). Under that traffic the master that owns the room's partition dies, or
/// hands over to its replica: every message that got a SendResult reaches every member exactly once, in room order,
/// and every member still gets what is sent afterwards. Each test starts a cluster of its own (a killed master stays
/// down).
/// </summary>
public sealed class RedisClusterFailoverTests(ITestOutputHelper output)
{
    private const string Room = "general";
    private const int MembersPerNode = 2;

    // Per publisher: enough to span the failover (a few seconds of traffic at this pace), bounded either way.
    private const int SendsPerPublisher = 400;
    private static readonly TimeSpan SendInterval = TimeSpan.FromMilliseconds(10);

    [Fact]
    public Task Killing_the_master_of_a_rooms_partition_under_traffic_loses_and_doubles_no_confirmed_message() =>
        RunAsync(async (cluster, key) =>
        {
            var master = await cluster.GetMasterOfAsync(key);
            var promoted = await cluster.KillMasterAsync(key);
            // The promoted replica has no replica of its own, so WAIT 1 cannot succeed there: until the dead node is back
            // as its replica, every send to its slots is answered "Store unavailable, retry." (and resent by the client).
            await cluster.RestartKilledNodeAsync(master.Port);
            return promoted;
        });

    [Fact]
    public Task A_planned_failover_of_a_rooms_partition_under_traffic_loses_and_doubles_no_confirmed_message() =>
        RunAsync((cluster, key) => cluster.FailoverAsync(key));

    private async Task RunAsync(Func<RedisCluster, string, Task<RedisClusterNode>> failOver)
    {
        var total = Stopwatch.StartNew();
        await using var redis = await RedisCluster.StartAsync();
        await using var nodes = await RedisNodes.StartAsync(redis.ConnectionString, 3, new Dictionary<string, string?>
        {
            ["Redis:WaitForReplicas"] = "1",
            ["Limits:SendsPerSecond"] = "100000",
            ["Limits:SendBurst"] = "100000",
        });
        var members = new List<HubUser<ChatClient>>();
        try
        {
            for (var i = 0; i < nodes.Nodes.Count * MembersPerNode; i++)
            {
                members.Add(await nodes[i % nodes.Nodes.Count].ChatAsync($"m{i}"));
            }
            await members[0].Client.CreateRoomAsync(Room);
            foreach (var member in members.Skip(1))
            {
                await member.Client.JoinRoomAsync(Room);
            }

            // Two publishers on different nodes; any exception from SendAsync is a send the client could not complete.
            var confirmed = new ConcurrentDictionary<string, string>();
            var failures = new ConcurrentQueue<string>();
            var inFlight = new ConcurrentDictionary<string, string>();
            async Task PublishAsync(HubUser<ChatClient> publisher)
            {
                using var pace = new PeriodicTimer(SendInterval);
                for (var i = 0; i < SendsPerPublisher; i++)
                {
                    var text = $"{publisher.Name}-{i}";
                    inFlight[publisher.Name] = $"{text} since {DateTime.UtcNow:HH:mm:ss.fff}";
                    try
                    {
                        confirmed[(await publisher.Client.SendToRoomAsync(Room, text)).Id] = text;
                    }
                    catch (Exception ex)
                    {
                        failures.Enqueue($"{text}: {ex.GetType().Name}: {ex.Message}");
                    }
                    await pace.WaitForNextTickAsync();
                }
            }
            var traffic = Task.WhenAll(PublishAsync(members[1]), PublishAsync(members[2]));
            await members[^1].WaitForAsync(u => u.Messages.Count >= 50, "for traffic before the failover");

            // Every key of the room's partition carries the partition number as its hash tag: "{p}" is in that slot.
            var partitionTag = $"{{{new RedisKeys("any", new RedisOptions().Partitions).RoomPartition(Room)}}}";
            var before = (await redis.GetMasterOfAsync(partitionTag)).Port;
            var failedOver = Stopwatch.StartNew();
            var promoted = await failOver(redis, partitionTag);
            output.WriteLine($"master {before} of {partitionTag} replaced by {promoted.Port} in {failedOver.Elapsed.TotalSeconds:F1} s; " +
                $"{confirmed.Count} sends confirmed so far");
            Assert.NotEqual(before, promoted.Port);

            var afterFailover = confirmed.Count;
            try
            {
                await traffic.WaitAsync(TimeSpan.FromSeconds(90));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"in flight at {DateTime.UtcNow:HH:mm:ss.fff}: {string.Join("; ", inFlight)}; {confirmed.Count} confirmed; " +
                    string.Join(" | ", members.Select(m => m.Name + ": " + string.Join(",", m.Events.TakeLast(6)))));
            }
            Assert.True(failures.IsEmpty, string.Join(" | ", failures.Take(5)));
            Assert.Equal(2 * SendsPerPublisher, confirmed.Count);
            Assert.True(confirmed.Count > afterFailover, "no send was confirmed after the failover");

            // Sent after the traffic: every member, whether or not its connection was closed meanwhile, gets it.
            var last = await members[0].Client.SendToRoomAsync(Room, "after");
            foreach (var member in members)
            {
                await member.WaitForAsync(u => u.Messages.Any(m => m.Id == last.Id), "for the message sent after the failover");
                var ids = member.Messages.Select(m => m.Id).ToList();
                var missing = confirmed.Keys.Where(id => !ids.Contains(id)).ToList();
                Assert.True(missing.Count == 0, $"{member.Name} misses {missing.Count} confirmed messages: {string.Join(", ", missing.Take(5).Select(id => confirmed[id] + "=" + id))}; resumes: {string.Join(", ", member.Resumes)}");
                var doubled = ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
                Assert.True(doubled.Count == 0, $"{member.Name} got {doubled.Count} messages twice: {string.Join(", ", doubled.Take(5))}");
                var seqs = member.Messages.Select(m => m.Seq!.Value).ToList();
                Assert.True(seqs.Zip(seqs.Skip(1)).All(p => p.First < p.Second), $"{member.Name} saw the room out of order or a seq twice: {string.Join(",", seqs)}");
            }
            output.WriteLine($"{confirmed.Count} messages to {members.Count} members; reconnects: " +
                $"{string.Join(",", members.Select(m => m.Events.Count(e => e == "reconnected")))}; {total.Elapsed.TotalSeconds:F1} s in all");
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }
}
