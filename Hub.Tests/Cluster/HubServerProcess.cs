using Hub.Client;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>
/// A real Hub.Server process (the built Hub.Server.dll, run with <c>dotnet</c>) on a loopback port, killable with
/// SIGKILL and restartable on the same port, as a node of a cluster is.
/// </summary>
public sealed class HubServerProcess : IAsyncDisposable
{
    private readonly string[] _settings;
    private readonly Dictionary<string, string> _environment;
    private readonly string _workingDirectory;
    private readonly string _logDirectory = Directory.CreateTempSubdirectory("hub-node-").FullName;
    private ChildProcess? _process;
    private int _starts;

    private HubServerProcess(int port, string[] settings, IReadOnlyDictionary<string, string>? environment, string? workingDirectory)
    {
        Port = port;
        _settings = settings;
        _environment = new Dictionary<string, string>
        {
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            _environment[name] = value;
        }
        _workingDirectory = workingDirectory ?? Environment.CurrentDirectory;
    }

    /// <summary>The node's port.</summary>
    public int Port { get; }

    /// <summary>The node's address as nginx names it in <c>$upstream_addr</c>.</summary>
    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Starts a node with configuration overrides (<c>Key=value</c>) and waits until it is ready.</summary>
    /// <param name="settings">Configuration overrides, passed on the command line.</param>
    /// <param name="environment">Extra environment variables (<c>ASPNETCORE_ENVIRONMENT</c>, say).</param>
    /// <param name="workingDirectory">Where the process starts; the test's own folder by default.</param>
    public static async Task<HubServerProcess> StartAsync(IReadOnlyDictionary<string, string> settings,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var node = new HubServerProcess(FreePorts.Next(), [.. settings.Select(s => $"--{s.Key}={s.Value}")], environment, workingDirectory);
        try
        {
            await node.StartAsync();
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>(Re)starts the process and waits for <c>/readyz</c>.</summary>
    public async Task StartAsync()
    {
        // A log per start: a restarted node's output does not overwrite what the previous one said.
        _process = await HubServerNode.StartAsync($"node {Address}", ServerDll(), Port, _settings, _environment, _workingDirectory,
            Path.Combine(_logDirectory, $"start{++_starts}.log"));
    }

    /// <summary>This node's live chat connections, from its own <c>/api/stats</c> (asked directly, as an operator would).</summary>
    public async Task<int> ChatConnectionsAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{Address}/") };
        var stats = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<Hub.Server.Health.NodeStats>(http, "api/stats");
        return stats!.ChatConnections;
    }

    /// <summary>
    /// A chat user connected to this node with Hub.Client, with a dev token from it (start the node with
    /// <c>Auth:DevTokens</c> on and <see cref="HubTestHost.SigningKey"/> to share users with test hosts). The client
    /// reconnects to this node's port, so it comes back when the node is restarted. Returned once online (its first
    /// <c>Resumed</c>), as a test host's users are.
    /// </summary>
    public async Task<HubUser<ChatClient>> ChatAsync(string user)
    {
        var address = new Uri($"http://{Address}/");
        using var http = new HttpClient { BaseAddress = address };
        return await HubTestHostExtensions.ConnectAsync(user, DevTokens.RequestAsync(http, user), o => new ChatClient(address, o));
    }

    /// <summary>Kills the process with SIGKILL: no graceful shutdown, as when a node dies.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            await process.DisposeAsync();
        }
    }

    /// <summary>Sends SIGTERM, as an orchestrator does to stop a node; the process shuts down gracefully on its own.</summary>
    public Task TerminateAsync() => _process?.TerminateAsync() ?? Task.CompletedTask;

    /// <summary>
    /// Freezes the process (SIGSTOP, see <see cref="ChildProcess.FreezeAsync"/>): it neither answers nor renews its
    /// heartbeat until <see cref="ThawAsync"/>.
    /// </summary>
    public Task FreezeAsync() => (_process ?? throw new InvalidOperationException("The process was never started.")).FreezeAsync();

    /// <summary>Lets a frozen process go on (SIGCONT).</summary>
    public Task ThawAsync() => (_process ?? throw new InvalidOperationException("The process was never started.")).ThawAsync();

    /// <summary>Waits for the process to exit (within <paramref name="timeout"/>) and returns its exit code.</summary>
    public Task<int> WaitForExitAsync(TimeSpan timeout) =>
        (_process ?? throw new InvalidOperationException("The process was never started.")).WaitForExitAsync(timeout);

    /// <summary>What the process printed last (for failure messages and log checks).</summary>
    public string Output() => _process?.Tail(40) ?? "";

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_logDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The Hub.Server.dll of this test run's configuration (or <c>HUB_SERVER_DLL</c>).</summary>
    public static string ServerDll()
    {
        if (Environment.GetEnvironmentVariable("HUB_SERVER_DLL") is { Length: > 0 } configured)
        {
            return configured;
        }
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release"; // .../Hub.Tests/bin/{Configuration}/net10.0/
        var dll = Repository.Path("Hub.Server", "bin", configuration, "net10.0", "Hub.Server.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build Hub.Server ({configuration}) first: {dll} is missing.");
    }
}
