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
        await RunAsync(redis, "Redis restarted (AOF)", () => redis.RestartAsync());
    }

    [Fact]
    public async Task Redis_frozen_for_five_seconds_loses_nothing_acknowledged_and_keeps_room_order()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await RunAsync(redis, "Redis frozen 5 s (SIGSTOP)", () => FrozenAsync(redis.FreezeAsync, redis.ThawAsync));
    }

    [Fact]
    public async Task Killed_subscription_connections_lose_nothing_acknowledged_and_keep_room_order()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await RunAsync(redis, "CLIENT KILL TYPE pubsub", async () =>
        {
            await using var inspector = await redis.ConnectInspectorAsync();
            await inspector.GetDatabase().ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub");
        });
    }

    [Fact]
    public async Task After_flushall_members_are_told_unprompted_remake_the_room_and_what_is_acknowledged_from_then_on_reaches_everyone_in_order()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await RunAsync(redis, "FLUSHALL", async () =>
        {
            await using var inspector = await redis.ConnectInspectorAsync();
            await inspector.GetServers()[0].FlushAllDatabasesAsync();
        }, losesData: true);
    }

    [Fact]
    public async Task A_node_killed_and_restarted_loses_nothing_acknowledged_and_keeps_room_order()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await RunAsync(redis, "node SIGKILL, restarted", async traffic =>
        {
            await traffic.Process.KillAsync();
            await traffic.Process.StartAsync(); // as a supervisor would; its clients reconnect to it
        }, nodeProcess: true);
    }

    [Fact]
    public async Task A_node_frozen_past_the_node_timeout_loses_nothing_acknowledged_and_its_users_are_online_again()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        // Past Redis:NodeTimeout (3 s here): the other node reaps it.
        await RunAsync(redis, "node frozen 5 s (SIGSTOP, reaped)", traffic => FrozenAsync(traffic.Process.FreezeAsync, traffic.Process.ThawAsync),
            nodeProcess: true);
    }

    [Fact]
    public async Task A_user_whose_connection_drops_every_200_ms_loses_nothing_and_ends_up_online_once()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        await RunAsync(redis, "reconnect storm (one user, every 200 ms for 5 s)", async traffic =>
        {
            var member = traffic.Members[0];
            for (var i = 0; i < 25; i++)
            {
                traffic.Cluster[0].AbortConnectionsOf(member.Name);
                // The storm's pace, not a wait for something.
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        });
    }

    // Freezes a process (SIGSTOP) for 5 s: the fault's length, not a wait for something.
    private static async Task FrozenAsync(Func<Task> freeze, Func<Task> thaw)
    {
        await freeze();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        finally
        {
            await thaw();
        }
    }

    // Starts the traffic, injects the fault once it flows, measures the time to normal, lets more traffic through, and
    // checks what every member was shown.
    private Task RunAsync(RedisServerFixture redis, string fault, Func<Task> inject, bool losesData = false) =>
        RunAsync(redis, fault, _ => inject(), losesData);

    private async Task RunAsync(RedisServerFixture redis, string fault, Func<RoomUnderTraffic, Task> inject, bool losesData = false, bool nodeProcess = false)
    {
        await using var traffic = await RoomUnderTraffic.StartAsync(redis, nodeProcess);
        await traffic.WaitForTrafficAsync(40);
        var resumes = traffic.Members.Select(m => m.Resumes.Count).ToList();

        await inject(traffic);

        var toNormal = await traffic.WaitForNormalAsync(NormalBound);
        var normal = traffic.Now;
        output.WriteLine($"{fault}: normal again {toNormal.TotalSeconds:F1} s after the fault ended; {traffic.Acked} sends acknowledged, {traffic.Failures} retried.");
        if (losesData)
        {
            // Every member was told its history was not recovered, without having to send first.
            for (var i = 0; i < traffic.Members.Count; i++)
            {
                var seen = resumes[i];
                await traffic.Members[i].WaitForAsync(u => u.Resumes.Skip(seen).Any(r => !r.Recovered), "to be told its history was lost");
            }
        }
        await traffic.WaitForTrafficAsync(20);
        // After a data loss, what was acknowledged and not yet delivered is gone with the data (keeping it takes
        // appendfsync always, the restart above); from normal on, nothing may be missing.
        await traffic.VerifyAsync(since: losesData ? normal : null);
    }
}
