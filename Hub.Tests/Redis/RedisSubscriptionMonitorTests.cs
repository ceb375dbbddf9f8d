using System.Collections.Concurrent;
using Hub.Server.Storage.Redis;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Hub.Tests.Redis;

/// <summary>
/// The subscription probe: a silent subscription is replaced (a new subscriber multiplexer), and after any
/// interruption the gap is raised once, only when a probe made the round trip again.
/// </summary>
public sealed class RedisSubscriptionMonitorTests
{
    private static readonly RedisOptions FastProbes = new() { ProbeInterval = TimeSpan.FromMilliseconds(200), ProbeTimeout = TimeSpan.FromMilliseconds(700) };

    [Fact]
    public async Task A_silent_subscription_is_replaced_and_the_gap_is_raised_once_when_probes_come_back()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        var logs = new CollectingLoggerFactory();
        await using var inspector = await server.ConnectInspectorAsync();
        await using var connection = RedisStores.Connect(server.ConnectionString, logs: logs);
        await RedisStores.WaitUntilConnectedAsync(connection);
        var announcements = new ConcurrentQueue<string>();
        await using var subscription = await connection.Subscriber.SubscribeAsync("deliveries", m => announcements.Enqueue(m!));
        using var monitor = new RedisSubscriptionMonitor(connection, Options.Create(FastProbes), TimeProvider.System, new Logger<RedisSubscriptionMonitor>(logs));
        var gaps = new ConcurrentQueue<Task<long>>();
        // At the gap, announcements must flow again: a publish made then reaches the resubscribed channel.
        monitor.Gap += () => gaps.Enqueue(connection.PublishAsync("deliveries", "at-gap"));
        await monitor.StartAsync(CancellationToken.None);
        var silenced = await connection.Subscriber.Connection;
        await Poll.UntilAsync(async _ => ((RedisResult[])(await inspector.GetDatabase().ExecuteAsync("PUBSUB", "CHANNELS", connection.Keys.Prefix + ":probe:*"))!).Length == 1,
            "the monitor subscribed its probe channel");

        // Redis stalls with every socket up (as after a failover gone wrong): nothing reports it but the probe.
        await inspector.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "2500", "ALL");

        await Poll.UntilAsync(() => !gaps.IsEmpty, "the gap was raised");
        Assert.Equal(1, await gaps.Single().OrTimeout());
        await Poll.UntilAsync(() => announcements.Contains("at-gap"), "the announcement published at the gap arrived");
        Assert.NotSame(silenced, await connection.Subscriber.Connection);
        Assert.Null(monitor.NotReadyReason);
        Assert.Equal(1, logs.Count(400)); // silent: logged once
        Assert.Equal(1, logs.Count(401)); // delivers again
        await monitor.StopAsync(CancellationToken.None);
        _ = Assert.Single(gaps);
    }

    [Fact]
    public async Task After_redis_restarts_the_gap_is_raised_once_when_the_subscription_delivers_again()
    {
        await using var server = await RedisServerFixture.StartNewAsync();
        var logs = new CollectingLoggerFactory();
        await using var connection = RedisStores.Connect(server.ConnectionString, logs: logs);
        await RedisStores.WaitUntilConnectedAsync(connection);
        await using var subscription = await connection.Subscriber.SubscribeAsync("deliveries", _ => { });
        using var monitor = new RedisSubscriptionMonitor(connection, Options.Create(FastProbes), TimeProvider.System, new Logger<RedisSubscriptionMonitor>(logs));
        var gaps = new ConcurrentQueue<Task<long>>();
        monitor.Gap += () => gaps.Enqueue(connection.PublishAsync("deliveries", "at-gap"));
        await monitor.StartAsync(CancellationToken.None);

        await server.RestartAsync();

        await Poll.UntilAsync(() => !gaps.IsEmpty, "the gap was raised");
        Assert.Equal(1, await gaps.Single().OrTimeout());
        await RedisStores.WaitUntilConnectedAsync(connection);
        Assert.Null(monitor.NotReadyReason);
        Assert.Equal(1, logs.Count(401) + logs.Count(402)); // delivers again (after a probe timed out meanwhile, or not)
        await monitor.StopAsync(CancellationToken.None);
        _ = Assert.Single(gaps);
    }
}
