using System.CommandLine;
using Hub.Bench.Hosting;
using Hub.Bench.Scenarios;

namespace Hub.Bench.Cli;

/// <summary>The command line: one command per scenario, plus <c>suite</c> for the standard set.</summary>
public static class BenchCommandLine
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand Build()
    {
        var common = new CommonOptions();
        var root = new RootCommand("Hub.Bench: drives a Hub through Hub.Client and reports throughput, latency, losses, duplicates and server cost.");
        common.AddTo(root);

        var rooms = new Option<int>("--rooms") { Description = "Rooms.", DefaultValueFactory = _ => 1 };
        var members = new Option<int>("--members") { Description = "Members per room.", DefaultValueFactory = _ => 50 };
        var publishers = new Option<int>("--publishers") { Description = "Publishers per room (fanout) or in total (broadcast).", DefaultValueFactory = _ => 5 };
        var rate = new Option<double>("--rate") { Description = "Messages per second over all publishers; 0 = as fast as possible.", DefaultValueFactory = _ => 2000 };
        var fanout = new Command("fanout", "Room fan-out: rooms x members x publishers at a rate.") { rooms, members, publishers, rate };
        fanout.SetAction((parse, ct) => BenchRunner.RunAsync(parse, common,
            _ => [new RoomFanoutScenario(parse.GetValue(rooms), parse.GetValue(members), parse.GetValue(publishers), parse.GetValue(rate))], ct));

        var dmUsers = new Option<int>("--users") { Description = "Users, each writing to the next.", DefaultValueFactory = _ => 100 };
        var dmRate = new Option<double>("--rate") { Description = "Messages per second over all users; 0 = as fast as possible.", DefaultValueFactory = _ => 2000 };
        var direct = new Command("direct", "Direct messages in a ring of users.") { dmUsers, dmRate };
        direct.SetAction((parse, ct) => BenchRunner.RunAsync(parse, common,
            _ => [new DirectMessageScenario(parse.GetValue(dmUsers), parse.GetValue(dmRate))], ct));

        var bcUsers = new Option<int>("--users") { Description = "Users online.", DefaultValueFactory = _ => 50 };
        var bcPublishers = new Option<int>("--publishers") { Description = "Broadcasting users.", DefaultValueFactory = _ => 1 };
        var bcRate = new Option<double>("--rate") { Description = "Broadcasts per second over all publishers; 0 = as fast as possible.", DefaultValueFactory = _ => 200 };
        var broadcast = new Command("broadcast", "Broadcasts to every user online.") { bcUsers, bcPublishers, bcRate };
        broadcast.SetAction((parse, ct) => BenchRunner.RunAsync(parse, common,
            _ => [new BroadcastScenario(parse.GetValue(bcUsers), parse.GetValue(bcPublishers), parse.GetValue(bcRate))], ct));

        var rcUsers = new Option<int>("--users") { Description = "Room members.", DefaultValueFactory = _ => 20 };
        var rcReconnecting = new Option<int>("--reconnecting") { Description = "Members that drop and reconnect at once.", DefaultValueFactory = _ => 5 };
        var rcMissed = new Option<int>("--missed") { Description = "Messages each misses.", DefaultValueFactory = _ => 200 };
        var rcRounds = new Option<int>("--rounds") { Description = "Storms to run.", DefaultValueFactory = _ => 5 };
        var reconnect = new Command("reconnect", "Reconnect storm: N users reconnect at once and each resumes K missed messages.") { rcUsers, rcReconnecting, rcMissed, rcRounds };
        reconnect.SetAction((parse, ct) => BenchRunner.RunAsync(parse, common,
            _ => [new ReconnectStormScenario(parse.GetValue(rcUsers), parse.GetValue(rcReconnecting), parse.GetValue(rcMissed), parse.GetValue(rcRounds))], ct));

        var connections = new Option<int>("--connections") { Description = "Idle connections.", DefaultValueFactory = _ => 10_000 };
        var hold = new Option<double>("--hold") { Description = "Seconds they stay idle for the CPU figure.", DefaultValueFactory = _ => 10 };
        var idle = new Command("idle", "Idle connections: server memory per connection and keep-alive CPU.") { connections, hold };
        idle.SetAction((parse, ct) => BenchRunner.RunAsync(parse, common,
            _ => [new IdleConnectionsScenario(parse.GetValue(connections), TimeSpan.FromSeconds(parse.GetValue(hold)))], ct));

        var stUsers = new Option<int>("--users") { Description = "Live room members.", DefaultValueFactory = _ => 20 };
        var stStuck = new Option<int>("--stuck") { Description = "Room members that never read.", DefaultValueFactory = _ => 5 };
        var stPublishers = new Option<int>("--publishers") { Description = "Sending live members.", DefaultValueFactory = _ => 5 };
        var stRate = new Option<double>("--rate") { Description = "Messages per second over all publishers; 0 = as fast as possible.", DefaultValueFactory = _ => 400 };
        var stuck = new Command("stuck", "Stuck readers among live ones: live members' latency and the server's memory while some members never read.")
        {
            stUsers, stStuck, stPublishers, stRate,
        };
        stuck.SetAction((parse, ct) => BenchRunner.RunAsync(parse, common,
            _ => [new StuckReadersScenario(parse.GetValue(stUsers), parse.GetValue(stStuck), parse.GetValue(stPublishers), parse.GetValue(stRate))], ct));

        var suiteIdle = new Option<int>("--idle-connections")
        {
            Description = "Idle connections in the suite (cluster mode: at most 6,000: nginx holds two descriptors and two loopback ports per connection); 0 skips.",
            DefaultValueFactory = _ => 10_000,
        };
        var suite = new Command("suite", "The standard set: both fan-out targets, direct, broadcast, reconnect storm, idle connections.") { suiteIdle };
        suite.SetAction((parse, ct) => BenchRunner.RunAsync(parse, common, mode => Suite(mode, parse.GetValue(suiteIdle)), ct));

        root.Subcommands.Add(fanout);
        root.Subcommands.Add(direct);
        root.Subcommands.Add(broadcast);
        root.Subcommands.Add(reconnect);
        root.Subcommands.Add(idle);
        root.Subcommands.Add(stuck);
        root.Subcommands.Add(suite);
        return root;
    }

    private static IReadOnlyList<IScenario> Suite(TopologyMode mode, int idleConnections)
    {
        var list = new List<IScenario>
        {
            new RoomFanoutScenario(1, 50, 5, 2000),
            new RoomFanoutScenario(20, 10, 1, 2000),
            new DirectMessageScenario(100, 2000),
            new BroadcastScenario(50, 1, 200),
            new ReconnectStormScenario(20, 5, 200, 5),
        };
        if (idleConnections > 0)
        {
            list.Add(new IdleConnectionsScenario(mode == TopologyMode.Cluster ? Math.Min(idleConnections, 6_000) : idleConnections, TimeSpan.FromSeconds(10)));
        }

        return list;
    }
}
