using System.CommandLine;
using Hub.Bench.Hosting;
using Hub.Bench.Load;

namespace Hub.Bench.Cli;

/// <summary>Options every scenario command takes: what to run against, timing, output.</summary>
public sealed class CommonOptions
{
    /// <summary>Modes to start, each in turn.</summary>
    public Option<string[]> Start { get; } = new("--start")
    {
        Description = "Start the Hub itself and run against it: embedded, redis, cluster (several run one after the other). Default: embedded unless --url.",
        AllowMultipleArgumentsPerToken = true,
        Recursive = true,
    };

    /// <summary>A running Hub.</summary>
    public Option<Uri?> Url { get; } = new("--url")
    {
        Description = "Drive a running Hub at this base URL instead of starting one.",
        Recursive = true,
        // System.CommandLine has no conversion to Uri: without this, any --url failed to parse.
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }
            result.AddError($"--url must be an absolute http(s) URL, e.g. http://127.0.0.1:5000 (got '{text}').");
            return null;
        },
    };

    /// <summary>Server pids to measure with --url.</summary>
    public Option<int[]> Pids { get; } = new("--pid")
    {
        Description = "With --url: server process ids to measure (CPU, memory).",
        AllowMultipleArgumentsPerToken = true,
        Recursive = true,
    };

    /// <summary>redis-server pid to measure with --url.</summary>
    public Option<int[]> RedisPids { get; } = new("--redis-pid") { Description = "With --url: redis-server process id to measure.", Recursive = true };

    /// <summary>The built server.</summary>
    public Option<string?> ServerDll { get; } = new("--server-dll")
    {
        Description = "The built server for --start (default: Hub.Server/bin/Release/net10.0/Hub.Server.dll of this repo).",
        Recursive = true,
    };

    /// <summary>Extra server configuration.</summary>
    public Option<string[]> ServerArgs { get; } = new("--server-arg")
    {
        Description = "Extra configuration for started nodes, e.g. --server-arg=--Delivery:LiveSendTimeout=00:00:05 (repeatable).",
        Recursive = true,
    };

    /// <summary>Extra server environment.</summary>
    public Option<string[]> ServerEnv { get; } = new("--server-env")
    {
        Description = "Environment variable for started nodes, KEY=VALUE, e.g. DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 (repeatable).",
        Recursive = true,
    };

    /// <summary>Cluster nodes.</summary>
    public Option<int> Nodes { get; } = new("--nodes") { Description = "Nodes in the cluster mode.", DefaultValueFactory = _ => 3, Recursive = true };

    /// <summary>nginx workers.</summary>
    public Option<int> NginxWorkers { get; } = new("--nginx-workers") { Description = "nginx worker processes in the cluster mode.", DefaultValueFactory = _ => 1, Recursive = true };

    /// <summary>Measured duration.</summary>
    public Option<double> Duration { get; } = new("--duration") { Description = "Measured seconds of sending.", DefaultValueFactory = _ => 15, Recursive = true };

    /// <summary>Warm-up.</summary>
    public Option<double> Warmup { get; } = new("--warmup") { Description = "Seconds of sending before the measured window.", DefaultValueFactory = _ => 3, Recursive = true };

    /// <summary>Drain.</summary>
    public Option<double> Drain { get; } = new("--drain") { Description = "Longest wait (s) for the last deliveries after sending.", DefaultValueFactory = _ => 15, Recursive = true };

    /// <summary>Text size.</summary>
    public Option<int> Size { get; } = new("--size") { Description = "Message text length in characters.", DefaultValueFactory = _ => 100, Recursive = true };

    /// <summary>Window of sends in flight.</summary>
    public Option<int> InFlight { get; } = new("--inflight") { Description = "Sends awaiting their result, per publisher.", DefaultValueFactory = _ => 64, Recursive = true };

    /// <summary>Negotiate.</summary>
    public Option<bool> Negotiate { get; } = new("--negotiate") { Description = "Negotiate before the WebSocket (as browsers do); default skips it.", Recursive = true };

    /// <summary>Client ack interval.</summary>
    public Option<int> AckIntervalMs { get; } = new("--ack-interval")
    {
        Description = "Clients send their acks at least this often, in ms (Hub.Client's AckInterval; it also acks every 100 ids).",
        DefaultValueFactory = _ => 200,
        Recursive = true,
    };

    /// <summary>Connect concurrency.</summary>
    public Option<int> ConnectConcurrency { get; } = new("--connect-concurrency") { Description = "Users connecting at once during setup.", DefaultValueFactory = _ => 64, Recursive = true };

    /// <summary>JSON output.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print the results as JSON on stdout (progress stays on stderr).", Recursive = true };

    /// <summary>JSON to a file.</summary>
    public Option<string?> JsonOut { get; } = new("--json-out") { Description = "Also write the JSON results to this file.", Recursive = true };

    /// <summary>Markdown output.</summary>
    public Option<bool> Markdown { get; } = new("--markdown") { Description = "Print the results as a Markdown table.", Recursive = true };

    /// <summary>No progress line.</summary>
    public Option<bool> Quiet { get; } = new("--quiet") { Description = "No live progress line.", Recursive = true };

    /// <summary>Where logs go.</summary>
    public Option<string?> RunDir { get; } = new("--run-dir") { Description = "Where started processes' configs and logs go (default: a new temp directory).", Recursive = true };

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        Start.AcceptOnlyFromAmong("embedded", "redis", "cluster");
        foreach (var option in new Option[]
                 {
                     Start, Url, Pids, RedisPids, ServerDll, ServerArgs, ServerEnv, Nodes, NginxWorkers, Duration, Warmup, Drain, Size, InFlight, Negotiate,
                     ConnectConcurrency, AckIntervalMs, Json, JsonOut, Markdown, Quiet, RunDir,
                 })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The modes to run: the --start list, or the running Hub of --url.</summary>
    public IReadOnlyList<TopologyMode> Modes(ParseResult result)
    {
        var start = result.GetValue(Start) ?? [];
        if (start.Length == 0)
        {
            return result.GetValue(Url) is null ? [TopologyMode.Embedded] : [TopologyMode.External];
        }

        return [.. start.Select(s => Enum.Parse<TopologyMode>(s, ignoreCase: true)).Distinct()];
    }

    /// <summary>Load timing from the options.</summary>
    public RunSettings RunSettings(ParseResult result) => new()
    {
        Duration = TimeSpan.FromSeconds(result.GetValue(Duration)),
        Warmup = TimeSpan.FromSeconds(result.GetValue(Warmup)),
        Drain = TimeSpan.FromSeconds(result.GetValue(Drain)),
        TextSize = result.GetValue(Size),
        MaxInFlight = Math.Max(1, result.GetValue(InFlight)),
        Quiet = result.GetValue(Quiet),
    };

    /// <summary>Client settings from the options.</summary>
    public ClientSettings ClientSettings(ParseResult result) => new()
    {
        Negotiate = result.GetValue(Negotiate),
        ConnectConcurrency = Math.Max(1, result.GetValue(ConnectConcurrency)),
        AckInterval = TimeSpan.FromMilliseconds(Math.Max(1, result.GetValue(AckIntervalMs))),
    };

    /// <summary>Hosting settings from the options.</summary>
    public HostingOptions HostingOptions(ParseResult result) => new()
    {
        ServerDll = result.GetValue(ServerDll) ?? DefaultServerDll(),
        RunDirectory = result.GetValue(RunDir) ?? Path.Combine(Path.GetTempPath(), $"hub-bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}"),
        ClusterNodes = Math.Max(1, result.GetValue(Nodes)),
        NginxWorkers = Math.Max(1, result.GetValue(NginxWorkers)),
        ExtraServerArguments = result.GetValue(ServerArgs) ?? [],
        ServerEnvironment = (result.GetValue(ServerEnv) ?? [])
            .Select(pair => pair.Split('=', 2))
            .Where(parts => parts.Length == 2 && parts[0].Length > 0)
            .ToDictionary(parts => parts[0], parts => parts[1]),
    };

    private static string DefaultServerDll()
    {
        // Walk up from the current directory and from this tool's own location to the repository root (Hub.sln).
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Hub.sln")))
                {
                    return Path.Combine(dir.FullName, "Hub.Server", "bin", "Release", "net10.0", "Hub.Server.dll");
                }
            }
        }

        return "Hub.Server.dll";
    }
}
