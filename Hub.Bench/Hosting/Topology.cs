using Hub.Bench.Measurement;

namespace Hub.Bench.Hosting;

/// <summary>
/// What a scenario runs against: the URL clients connect to and the processes whose CPU and memory are measured.
/// When the tool started them, disposing stops them (nginx first, redis last).
/// </summary>
public sealed class Topology : IAsyncDisposable
{
    private readonly List<ChildProcess> _children;

    private Topology(TopologyMode mode, Uri baseUrl, IReadOnlyList<MonitoredProcess> processes, List<ChildProcess> children, int nodes)
    {
        Mode = mode;
        BaseUrl = baseUrl;
        Processes = processes;
        _children = children;
        Nodes = nodes;
    }

    /// <summary>The mode.</summary>
    public TopologyMode Mode { get; }

    /// <summary>The URL every client connects to (nginx in the cluster mode).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Processes to measure.</summary>
    public IReadOnlyList<MonitoredProcess> Processes { get; }

    /// <summary>How many server nodes.</summary>
    public int Nodes { get; }

    /// <summary>A short label: embedded, redis, cluster-3, external.</summary>
    public string Label => Mode switch
    {
        TopologyMode.Cluster => $"cluster-{Nodes}",
        _ => Mode.ToString().ToLowerInvariant(),
    };

    /// <summary>A running Hub at <paramref name="url"/>; <paramref name="pids"/> are measured as server processes.</summary>
    public static Topology External(Uri url, IReadOnlyList<int> pids, IReadOnlyList<int> redisPids) => new(
        TopologyMode.External,
        url,
        [.. pids.Select((pid, i) => new MonitoredProcess(ProcessRole.Server, $"server{i + 1}", pid)),
         .. redisPids.Select(pid => new MonitoredProcess(ProcessRole.Redis, "redis", pid))],
        [],
        Math.Max(1, pids.Count));

    /// <summary>Starts the processes of <paramref name="mode"/> and waits until they are ready.</summary>
    public static async Task<Topology> StartAsync(TopologyMode mode, HostingOptions options, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.RunDirectory);
        var children = new List<ChildProcess>();
        try
        {
            switch (mode)
            {
                case TopologyMode.Embedded:
                {
                    var port = FreePorts.Next();
                    children.Add(await ServerNode.StartAsync("node1", port, null, options, cancellationToken));
                    return new Topology(mode, new Uri($"http://127.0.0.1:{port}"), Monitor(children), children, 1);
                }

                case TopologyMode.Redis:
                {
                    var redisPort = FreePorts.Next();
                    children.Add(await RedisServer.StartAsync(redisPort, options.RunDirectory, Path.Combine(options.RunDirectory, "redis.log"), cancellationToken: cancellationToken));
                    var port = FreePorts.Next();
                    children.Add(await ServerNode.StartAsync("node1", port, $"127.0.0.1:{redisPort}", options, cancellationToken));
                    return new Topology(mode, new Uri($"http://127.0.0.1:{port}"), Monitor(children), children, 1);
                }

                case TopologyMode.Cluster:
                {
                    var redisPort = FreePorts.Next();
                    children.Add(await RedisServer.StartAsync(redisPort, options.RunDirectory, Path.Combine(options.RunDirectory, "redis.log"), cancellationToken: cancellationToken));
                    var ports = new List<int>();
                    for (var i = 1; i <= options.ClusterNodes; i++)
                    {
                        var port = FreePorts.Next();
                        ports.Add(port);
                        children.Add(await ServerNode.StartAsync($"node{i}", port, $"127.0.0.1:{redisPort}", options, cancellationToken));
                    }

                    var proxyPort = FreePorts.Next();
                    children.Add(await NginxProxy.StartAsync(proxyPort, ports, options, cancellationToken));
                    return new Topology(mode, new Uri($"http://127.0.0.1:{proxyPort}"), Monitor(children), children, options.ClusterNodes);
                }

                default:
                    throw new ArgumentOutOfRangeException(nameof(mode), mode, "Use External() for a running Hub.");
            }
        }
        catch
        {
            await StopAsync(children);
            throw;
        }
    }

    /// <summary>Stops the processes the tool started.</summary>
    public ValueTask DisposeAsync() => StopAsync(_children);

    private static async ValueTask StopAsync(List<ChildProcess> children)
    {
        for (var i = children.Count - 1; i >= 0; i--)
        {
            await children[i].DisposeAsync();
        }

        children.Clear();
    }

    private static List<MonitoredProcess> Monitor(List<ChildProcess> children)
    {
        var processes = new List<MonitoredProcess>();
        foreach (var child in children)
        {
            switch (child.Name)
            {
                case "redis":
                    processes.Add(new MonitoredProcess(ProcessRole.Redis, child.Name, child.Pid));
                    break;
                case "nginx":
                    // The master barely works; the workers (its children) carry the traffic.
                    processes.Add(new MonitoredProcess(ProcessRole.Proxy, "nginx-master", child.Pid));
                    processes.AddRange(ProcFs.Children(child.Pid).Select(pid => new MonitoredProcess(ProcessRole.Proxy, $"nginx-{pid}", pid)));
                    break;
                default:
                    // `dotnet Hub.Server.dll` runs the app in this very process (the host does not fork).
                    processes.Add(new MonitoredProcess(ProcessRole.Server, child.Name, child.Pid));
                    break;
            }
        }

        return processes;
    }
}
