using Hub.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hub.Tests.Faults;

/// <summary>
/// Faults injected under steady traffic (<see cref="RoomUnderTraffic"/>: two nodes, one redis-server, four users in one
/// room): after each, nothing acknowledged is lost, nothing is shown twice, every member sees the room in order,
/// presence is right, and the cluster is normal again within a bound. The measured time to normal is written to the
/// test output (docs/operations.md lists it). One class, so the fault tests run one after another, not competing.
/// </summary>
public sealed class FaultSuiteTests(ITestOutputHelper output)
{
    // Generous for a loaded 2-core machine: the options under test make it about 1-3 s.
    private static readonly TimeSpan NormalBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_redis_restart_with_its_append_only_file_loses_nothing_acknowledged_and_keeps_room_order()
    {
        await using var redis = new RedisServerFixture { Persistent = true };
        await redis.StartAsync();
        await using var traffic = await RoomUnderTraffic.StartAsync(redis);
        await traffic.WaitForTrafficAsync(40);

        await redis.RestartAsync();

        Report("Redis restarted (AOF)", await traffic.WaitForNormalAsync(NormalBound), traffic);
        await traffic.WaitForTrafficAsync(20);
        await traffic.VerifyAsync();
    }

    [Fact]
    public async Task Redis_frozen_for_five_seconds_loses_nothing_acknowledged_and_keeps_room_order()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await using var traffic = await RoomUnderTraffic.StartAsync(redis);
        await traffic.WaitForTrafficAsync(40);

        await redis.FreezeAsync();
        try
        {
            // The fault's length, not a wait for something.
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await redis.ThawAsync();
        }

        Report("Redis frozen 5 s (SIGSTOP)", await traffic.WaitForNormalAsync(NormalBound), traffic);
        await traffic.WaitForTrafficAsync(20);
        await traffic.VerifyAsync();
    }

    [Fact]
    public async Task Killed_subscription_connections_lose_nothing_acknowledged_and_keep_room_order()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await using var traffic = await RoomUnderTraffic.StartAsync(redis);
        await traffic.WaitForTrafficAsync(40);

        await using (var inspector = await redis.ConnectInspectorAsync())
        {
            await inspector.GetDatabase().ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
        }

        Report("CLIENT KILL TYPE pubsub", await traffic.WaitForNormalAsync(NormalBound), traffic);
        await traffic.WaitForTrafficAsync(20);
        await traffic.VerifyAsync();
    }

    [Fact]
    public async Task After_flushall_members_remake_the_room_and_what_is_acknowledged_from_then_on_reaches_everyone_in_order()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await using var traffic = await RoomUnderTraffic.StartAsync(redis);
        await traffic.WaitForTrafficAsync(40);
        var before = traffic.Members.Select(m => m.Resumes.Count).ToList();

        await using (var inspector = await redis.ConnectInspectorAsync())
        {
            await inspector.GetServers()[0].FlushAllDatabasesAsync();
        }

        Report("FLUSHALL", await traffic.WaitForNormalAsync(NormalBound), traffic);
        var normal = traffic.Now;
        // Every member was told its history was not recovered, without having to send first.
        for (var i = 0; i < traffic.Members.Count; i++)
        {
            var member = traffic.Members[i];
            await member.WaitForAsync(u => u.Resumes.Skip(before[i]).Any(r => !r.Recovered), "to be told its history was lost");
        }
        await traffic.WaitForTrafficAsync(20);
        // What was acknowledged before the loss and not yet delivered is gone with the data (acknowledged writes need
        // appendfsync always, tested above); from normal on, nothing may be missing.
        await traffic.VerifyAsync(since: normal);
    }

    private void Report(string fault, TimeSpan toNormal, RoomUnderTraffic traffic) =>
        output.WriteLine($"{fault}: normal again {toNormal.TotalSeconds:F1} s after the fault ended; {traffic.Acked} sends acknowledged, {traffic.Failures} retried.");
}
