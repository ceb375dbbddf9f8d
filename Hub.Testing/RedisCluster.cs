using System.Diagnostics;
using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace Hub.Testing;

/// <summary>
/// A throw-away Redis Cluster on loopback: three masters and three replicas of redis-server, each on free ports (client
/// and cluster bus) in a directory of its own, no persistence, formed by <c>redis-cli --cluster create</c>. Ready when
/// every node says <c>cluster_state:ok</c> with all 16384 slots served, every node sees the same masters and replicas,
/// and every replica's link to its master is up (so <c>WAIT</c> counts it at once). It can fail a master over
/// (<see cref="FailoverAsync"/>) or kill one (<see cref="KillMasterAsync"/>); dispose stops every node and removes the
/// directories.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    /// <summary>How many masters the cluster has (each with one replica).</summary>
    public const int MasterCount = 3;

    /// <summary>
    /// How long the cluster may take to form, to finish a failover or to promote a replica before the call fails with each
    /// node's log: a few seconds is normal, even on a busy 2-core machine.
    /// </summary>
    public static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The nodes' <c>cluster-node-timeout</c>: a master that has not answered for this long is failed and its replica
    /// promoted, so <see cref="KillMasterAsync"/> takes a few seconds rather than the default 15 s.
    /// </summary>
    public static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(2);

    private const int SlotCount = 16384;

    private readonly string _directory;
    private readonly IReadOnlyList<int> _ports;
    // Each node's cluster bus port, beside its client port: redis-server's default (port + 10000) may be taken or past 65535.
    private readonly IReadOnlyList<int> _busPorts;
    // The running nodes by port; a killed node leaves.
    private readonly Dictionary<int, ChildProcess> _nodes = [];
    private ConnectionMultiplexer? _admin;
    // What the last readiness check found wrong, for the error when the cluster never gets ready.
    private string _problem = "nothing checked yet";

    private RedisCluster(string directory, IReadOnlyList<int> ports)
    {
        _directory = directory;
        _ports = ports.Take(2 * MasterCount).ToList();
        _busPorts = ports.Skip(2 * MasterCount).ToList();
    }

    /// <summary>The six client ports, in the order the nodes were started (roles are decided when the cluster forms).</summary>
    public IReadOnlyList<int> Ports => _ports;

    /// <summary>Every node's endpoint (<c>127.0.0.1:port,...</c>) for StackExchange.Redis, which finds the slots from any of them.</summary>
    public string ConnectionString => string.Join(',', _ports.Select(port => $"127.0.0.1:{port}"));

    /// <summary>Starts six nodes, forms the cluster and waits until it is ready (see the class summary).</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="InvalidOperationException">redis-server or redis-cli is missing, or the cluster did not form within <see cref="FormTimeout"/> (the message has each node's log).</exception>
    public static async Task<RedisCluster> StartAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.StartNew();
        var cluster = await StartNodesAsync(cancellationToken);
        try
        {
            await cluster.CreateAsync(FormTimeout - started.Elapsed, cancellationToken);
            await cluster.UntilReadyAsync(_ => true, "the cluster formed", FormTimeout - started.Elapsed, cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The node running on <paramref name="port"/>: to freeze it (<see cref="ChildProcess.FreezeAsync"/>) or read its log.</summary>
    /// <exception cref="InvalidOperationException">No node runs there (it was killed).</exception>
    public ChildProcess NodeProcess(int port) =>
        _nodes.TryGetValue(port, out var node) ? node : throw new InvalidOperationException($"No node of the cluster runs on port {port}.");

    /// <summary>The nodes now running and their roles, as one of them sees the cluster.</summary>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    public async Task<IReadOnlyList<RedisClusterNode>> GetNodesAsync(CancellationToken cancellationToken = default)
    {
        var view = await ViewAsync(_nodes.Keys.First(), cancellationToken);
        return [.. view.Where(node => _nodes.ContainsKey(node.Port)).OrderBy(node => node.Port)];
    }

    /// <summary>The slot of <paramref name="key"/> (or of a sharded channel: the same hash, hash tags included), as Redis computes it.</summary>
    /// <param name="key">A key or sharded channel name.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    public async Task<int> SlotOfAsync(string key, CancellationToken cancellationToken = default) =>
        (int)await ExecuteAsync(_nodes.Keys.First(), cancellationToken, "CLUSTER", "KEYSLOT", key);

    /// <summary>The master that serves <paramref name="key"/>'s slot now.</summary>
    /// <param name="key">A key or sharded channel name.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    public async Task<RedisClusterNode> GetMasterOfAsync(string key, CancellationToken cancellationToken = default)
    {
        var slot = await SlotOfAsync(key, cancellationToken);
        return (await GetNodesAsync(cancellationToken)).Single(node => node.IsMaster && node.Serves(slot));
    }

    /// <summary>
    /// A planned failover of the master serving <paramref name="key"/>: <c>CLUSTER FAILOVER</c> on its replica, which
    /// takes over once it has every write (nothing acknowledged is lost), and the old master becomes its replica. Returns
    /// when the cluster is ready again (see the class summary) with the replica as master.
    /// </summary>
    /// <param name="key">A key or sharded channel name whose master fails over.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The new master.</returns>
    public async Task<RedisClusterNode> FailoverAsync(string key, CancellationToken cancellationToken = default)
    {
        var (slot, _, replica) = await MasterAndReplicaAsync(key, cancellationToken);
        await ExecuteAsync(replica.Port, cancellationToken, "CLUSTER", "FAILOVER");
        return await UntilMasterAsync(replica, slot, cancellationToken);
    }

    /// <summary>
    /// Kills (SIGKILL) the master serving <paramref name="key"/>, as a crash would, and waits until the cluster has noticed
    /// (after <see cref="NodeTimeout"/>), promoted its replica, and is ready again without it. The killed node stays down
    /// until <see cref="RestartKilledNodeAsync"/>.
    /// </summary>
    /// <param name="key">A key or sharded channel name whose master dies.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The promoted replica.</returns>
    public async Task<RedisClusterNode> KillMasterAsync(string key, CancellationToken cancellationToken = default)
    {
        var (slot, master, replica) = await MasterAndReplicaAsync(key, cancellationToken);
        var process = _nodes[master.Port];
        _nodes.Remove(master.Port);
        await process.DisposeAsync();
        return await UntilMasterAsync(replica, slot, cancellationToken);
    }

    /// <summary>
    /// Starts again a node <see cref="KillMasterAsync"/> killed, on its port, without its data (nothing is persisted): it
    /// finds its slots taken over and rejoins as a replica of the master that replaced it. Returns when the cluster is
    /// ready again (see the class summary) with that node a replica whose link to its master is up, so <c>WAIT 1</c>
    /// succeeds again for those slots.
    /// </summary>
    /// <param name="port">The killed node's client port (<see cref="RedisClusterNode.Port"/> of the master that was killed).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The node, now a replica.</returns>
    /// <exception cref="InvalidOperationException">No node of this cluster was killed on that port, or it did not rejoin in time.</exception>
    public async Task<RedisClusterNode> RestartKilledNodeAsync(int port, CancellationToken cancellationToken = default)
    {
        if (!_ports.Contains(port) || _nodes.ContainsKey(port))
        {
            throw new InvalidOperationException($"No node of this cluster was killed on port {port}.");
        }
        await StartNodeAsync(port, cancellationToken);
        await UntilReadyAsync(view => view.Any(node => node.Port == port && !node.IsMaster), $"{port} is back as a replica", FormTimeout, cancellationToken);
        return (await GetNodesAsync(cancellationToken)).Single(node => node.Port == port);
    }

    /// <summary>Stops every node and removes their directories.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }
        await Task.WhenAll(_nodes.Values.Select(node => node.DisposeAsync().AsTask()));
        _nodes.Clear();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it is a temp directory.
        }
    }

    private static List<int> DistinctFreePorts(int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(FreePorts.Next());
        }
        return [.. ports];
    }

    // Another process may take a port between FreePorts finding it free and redis-server binding it (the node exits):
    // then all six start again on other ports.
    private static async Task<RedisCluster> StartNodesAsync(CancellationToken cancellationToken)
    {
        const int Attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var cluster = new RedisCluster(Directory.CreateTempSubdirectory("redis-cluster-").FullName, DistinctFreePorts(4 * MasterCount));
            try
            {
                await cluster.StartNodesOnPortsAsync(cancellationToken);
                return cluster;
            }
            catch (InvalidOperationException) when (attempt < Attempts)
            {
                await cluster.DisposeAsync();
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }
    }

    private Task StartNodesOnPortsAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_ports.Select(port => StartNodeAsync(port, cancellationToken)));

    // Starts the node of client port <port> in its directory; a node that ran there before finds its nodes-{port}.conf
    // (its id and the cluster it belonged to) and rejoins.
    private async Task StartNodeAsync(int port, CancellationToken cancellationToken)
    {
        var busPort = _busPorts[_ports.ToList().IndexOf(port)];
        var directory = Directory.CreateDirectory(Path.Combine(_directory, port.ToString(CultureInfo.InvariantCulture))).FullName;
        string[] cluster =
        [
            "--cluster-enabled", "yes", "--cluster-config-file", $"nodes-{port}.conf", "--cluster-port", busPort.ToString(CultureInfo.InvariantCulture),
            "--cluster-node-timeout", ((int)NodeTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            // A replica's first sync starts at once, not after the default 5 s wait for more replicas to share it.
            "--repl-diskless-sync-delay", "0",
            // Cluster events (failing a node, promoting a replica) are logged at notice: they explain a cluster that does not form.
            "--loglevel", "notice",
        ];
        var node = await RedisServer.StartAsync(port, directory, Path.Combine(directory, "redis.log"), moreArguments: cluster, cancellationToken: cancellationToken);
        lock (_nodes)
        {
            _nodes[port] = node;
        }
    }

    private async Task CreateAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        List<string> arguments = ["--cluster", "create", .. _ports.Select(port => $"127.0.0.1:{port}"), "--cluster-replicas", "1", "--cluster-yes"];
        await using var create = ChildProcess.Start("redis-cli", Executables.RedisCli(), arguments, _directory, Path.Combine(_directory, "create.log"));
        int exitCode;
        try
        {
            exitCode = await create.WaitForExitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw Failure($"redis-cli --cluster create did not finish within {FormTimeout.TotalSeconds:0} s:{Environment.NewLine}{create.Tail()}");
        }
        if (exitCode != 0)
        {
            throw Failure($"redis-cli --cluster create failed with {exitCode}:{Environment.NewLine}{create.Tail()}");
        }
        var options = ConfigurationOptions.Parse(ConnectionString);
        options.AllowAdmin = true; // CLUSTER FAILOVER, INFO
        options.AbortOnConnectFail = false;
        // A node being killed or failed over must not hold a check in a backlog: the check fails and is made again.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        _admin = await ConnectionMultiplexer.ConnectAsync(options);
    }

    private async Task<(int Slot, RedisClusterNode Master, RedisClusterNode Replica)> MasterAndReplicaAsync(string key, CancellationToken cancellationToken)
    {
        var slot = await SlotOfAsync(key, cancellationToken);
        var nodes = await GetNodesAsync(cancellationToken);
        var master = nodes.Single(node => node.IsMaster && node.Serves(slot));
        var replica = nodes.FirstOrDefault(node => node.MasterId == master.Id)
            ?? throw new InvalidOperationException($"Master {master} has no running replica: {string.Join("; ", nodes)}.");
        return (slot, master, replica);
    }

    private async Task<RedisClusterNode> UntilMasterAsync(RedisClusterNode replica, int slot, CancellationToken cancellationToken)
    {
        await UntilReadyAsync(view => view.Any(node => node.Port == replica.Port && node.IsMaster && node.Serves(slot)),
            $"{replica.Port} is the master of slot {slot}", FormTimeout, cancellationToken);
        return (await GetNodesAsync(cancellationToken)).Single(node => node.Port == replica.Port);
    }

    private async Task UntilReadyAsync(Func<IReadOnlyList<RedisClusterNode>, bool> also, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Poll.UntilAsync(async token => await IsReadyAsync(also, what, token), $"{what} and the cluster is ready", timeout, cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw Failure($"Waited {timeout.TotalSeconds:0.#} s until {what} and the cluster is ready; last seen: {_problem}", ex);
        }
    }

    // Every running node: cluster_state ok with every slot served, the same healthy view of the running nodes
    // (MasterCount masters, the others their replicas), and every replica's link to its master up.
    private async Task<bool> IsReadyAsync(Func<IReadOnlyList<RedisClusterNode>, bool> also, string what, CancellationToken cancellationToken)
    {
        try
        {
            string? agreed = null;
            foreach (var port in _nodes.Keys)
            {
                var info = Fields(await ExecuteAsync(port, cancellationToken, "CLUSTER", "INFO"));
                if (info.GetValueOrDefault("cluster_state") != "ok" || info.GetValueOrDefault("cluster_slots_ok") != $"{SlotCount}")
                {
                    return NotReady($"{port}: cluster_state:{info.GetValueOrDefault("cluster_state")}, cluster_slots_ok:{info.GetValueOrDefault("cluster_slots_ok")}");
                }
                var view = (await ViewAsync(port, cancellationToken)).Where(node => _nodes.ContainsKey(node.Port)).OrderBy(node => node.Port).ToList();
                var described = string.Join("; ", view);
                if (view.Count != _nodes.Count || view.Count(node => node.IsMaster) != MasterCount || view.Any(node => !node.IsHealthy)
                    || view.Any(node => !node.IsMaster && !view.Any(master => master.IsMaster && master.Id == node.MasterId)))
                {
                    return NotReady($"{port} sees {described}");
                }
                if (agreed is not null && agreed != described)
                {
                    return NotReady($"the nodes disagree: {agreed} | {port} sees {described}");
                }
                agreed = described;
                if (!also(view))
                {
                    return NotReady($"not yet {what}: {described}");
                }
                if (!view.Single(node => node.Port == port).IsMaster)
                {
                    var replication = Fields(await ExecuteAsync(port, cancellationToken, "INFO", "replication"));
                    if (replication.GetValueOrDefault("master_link_status") != "up")
                    {
                        return NotReady($"replica {port}: master_link_status:{replication.GetValueOrDefault("master_link_status")}");
                    }
                }
            }
            return true;
        }
        catch (RedisException ex)
        {
            return NotReady(ex.Message);
        }
    }

    private bool NotReady(string problem)
    {
        _problem = problem;
        return false;
    }

    private async Task<List<RedisClusterNode>> ViewAsync(int port, CancellationToken cancellationToken) =>
        [.. Text(await ExecuteAsync(port, cancellationToken, "CLUSTER", "NODES")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(RedisClusterNode.Parse)];

    private Task<RedisResult> ExecuteAsync(int port, CancellationToken cancellationToken, string command, params object[] arguments)
    {
        var admin = _admin ?? throw new InvalidOperationException("The cluster is not formed yet.");
        return admin.GetServer("127.0.0.1", port).ExecuteAsync(command, arguments).WaitAsync(cancellationToken);
    }

    // INFO and CLUSTER INFO answer "key:value" lines.
    private static Dictionary<string, string> Fields(RedisResult result) =>
        Text(result).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(':', 2)).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]);

    // Redis 7 answers INFO and CLUSTER NODES as verbatim strings ("txt:..." over RESP3): the text without its type.
    private static string Text(RedisResult result) => result.ToString(out _) ?? "";

    private InvalidOperationException Failure(string message, Exception? inner = null)
    {
        var logs = new StringBuilder(message);
        foreach (var (port, node) in _nodes.OrderBy(pair => pair.Key))
        {
            logs.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"--- redis-server {port} ({node.LogPath}):").Append(node.Tail(10));
        }
        return new InvalidOperationException(logs.ToString(), inner);
    }
}
