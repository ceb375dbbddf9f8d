using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>
/// A real Hub.Server process (the built Hub.Server.dll, run with <c>dotnet</c>) on a loopback port, killable with
/// SIGKILL and restartable on the same port, as a node of a cluster is.
/// </summary>
public sealed class HubServerProcess : IAsyncDisposable
{
    private readonly string[] _settings;
    private readonly IReadOnlyDictionary<string, string>? _environment;
    private readonly string? _workingDirectory;
    private readonly List<string> _output = [];
    private Process? _process;

    private HubServerProcess(int port, string[] settings, IReadOnlyDictionary<string, string>? environment, string? workingDirectory)
    {
        Port = port;
        _settings = settings;
        _environment = environment;
        _workingDirectory = workingDirectory;
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
        var node = new HubServerProcess(FreePort(), [.. settings.Select(s => $"--{s.Key}={s.Value}")], environment, workingDirectory);
        await node.StartAsync();
        return node;
    }

    /// <summary>(Re)starts the process and waits for <c>/readyz</c>.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (_workingDirectory is not null)
        {
            start.WorkingDirectory = _workingDirectory;
        }
        start.ArgumentList.Add(ServerDll());
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{Port}");
        foreach (var setting in _settings)
        {
            start.ArgumentList.Add(setting);
        }
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in _environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (_output) { _output.Add(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_output) { _output.Add(e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = new Uri($"http://{Address}/") };
        try
        {
            await Poll.UntilAsync(async token =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"Hub.Server exited with {_process.ExitCode}: {Output()}");
                }
                try
                {
                    return (await http.GetAsync("readyz", token)).StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, $"Hub.Server on {Address} is ready", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message} Output: {Output()}");
        }
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
    /// reconnects to this node's port, so it comes back when the node is restarted.
    /// </summary>
    public async Task<HubUser<ChatClient>> ChatAsync(string user)
    {
        var address = new Uri($"http://{Address}/");
        using var http = new HttpClient { BaseAddress = address };
        var response = await http.PostAsJsonAsync(HubPaths.Token.TrimStart('/'), new TokenRequest(user));
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        var client = new HubUser<ChatClient>(user, new ChatClient(address, new HubClientOptions
        {
            AccessTokenProvider = _ => ValueTask.FromResult<string?>(token),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        }));
        await client.Client.StartAsync().OrTimeout();
        return client;
    }

    /// <summary>Kills the process with SIGKILL: no graceful shutdown, as when a node dies.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Sends SIGTERM, as an orchestrator does to stop a node; the process shuts down gracefully on its own.</summary>
    public async Task TerminateAsync()
    {
        if (_process is { HasExited: false } process)
        {
            await ToolProcess.SignalAsync(process, "TERM");
        }
    }

    /// <summary>
    /// Freezes the process with SIGSTOP, as a paused VM or a long GC pause would: its sockets stay open, it neither
    /// answers nor renews its heartbeat until <see cref="ThawAsync"/>.
    /// </summary>
    public Task FreezeAsync() => ToolProcess.SignalAsync(_process ?? throw new InvalidOperationException("The process was never started."), "STOP");

    /// <summary>Lets a frozen process go on (SIGCONT).</summary>
    public Task ThawAsync() => ToolProcess.SignalAsync(_process ?? throw new InvalidOperationException("The process was never started."), "CONT");

    /// <summary>Waits for the process to exit (within <paramref name="timeout"/>) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException("The process was never started.");
        await process.WaitForExitAsync().WaitAsync(timeout);
        return process.ExitCode;
    }

    /// <summary>What the process printed (for failure messages).</summary>
    public string Output()
    {
        lock (_output)
        {
            return string.Join('\n', _output.TakeLast(40));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
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

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
