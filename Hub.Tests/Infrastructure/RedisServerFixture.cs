using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Hub.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> child process on a free 127.0.0.1 port, with no persistence. Use it as an xunit
/// class fixture (<c>IClassFixture&lt;RedisServerFixture&gt;</c>) or create one per test with <see cref="StartNewAsync"/>.
/// It can be stopped and restarted on the same port to test reconnects, and is killed on dispose.
/// </summary>
public class RedisServerFixture : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly List<string> _output = [];
    private readonly string _directory;
    private Process? _process;

    /// <summary>Creates a fixture for a server without a password (started by xunit through <see cref="IAsyncLifetime"/>).</summary>
    public RedisServerFixture()
        : this(password: null)
    {
    }

    /// <summary>
    /// Creates a fixture with a password; call <see cref="StartAsync"/>. Protected because xunit class fixtures need a
    /// single public constructor: derive a fixture class, or use <see cref="StartNewAsync"/>.
    /// </summary>
    /// <param name="password">The <c>requirepass</c> password, or null for none.</param>
    protected RedisServerFixture(string? password)
    {
        Password = password;
        Port = GetFreePort();
        _directory = Directory.CreateTempSubdirectory("redis-test-").FullName;
    }

    /// <summary>The loopback port the server listens on (kept across restarts).</summary>
    public int Port { get; }

    /// <summary>The server's <c>requirepass</c> password, or null.</summary>
    public string? Password { get; }

    /// <summary>A connection string for the server, including the password when there is one.</summary>
    public string ConnectionString => Password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={Password}";

    /// <summary>
    /// A StackExchange.Redis connection for looking at or steering the server from a test (admin commands allowed:
    /// CONFIG, INFO, CLIENT, SCRIPT, FLUSHALL), as an operator's redis-cli would.
    /// </summary>
    public Task<ConnectionMultiplexer> ConnectInspectorAsync() => ConnectionMultiplexer.ConnectAsync(ConnectionString + ",allowAdmin=true");

    /// <summary>True while the server process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>
    /// When true, the server keeps an append-only file fsynced on every write, so a restart keeps the data (for
    /// tests of a Redis restart under traffic). Default false: no persistence, fastest.
    /// </summary>
    public bool Persistent { get; init; }

    /// <summary>Starts a new server and waits until it accepts connections.</summary>
    /// <param name="password">The <c>requirepass</c> password, or null for none.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<RedisServerFixture> StartNewAsync(string? password = null, CancellationToken cancellationToken = default)
    {
        var fixture = new RedisServerFixture(password);
        try
        {
            await fixture.StartAsync(cancellationToken);
            return fixture;
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (if not running) and waits until it accepts TCP connections.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="InvalidOperationException">redis-server is not installed, exited, or did not start in time.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        var executable = FindExecutable("redis-server") ?? throw new InvalidOperationException(
            "redis-server is not installed (not found on PATH). Install it, e.g. 'apt-get install -y redis-server'.");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var argument in new[]
                 {
                     "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--bind", "127.0.0.1",
                     "--save", string.Empty,
                     "--appendonly", Persistent ? "yes" : "no",
                     "--appendfsync", "always",
                     "--dir", _directory,
                     "--daemonize", "no",
                     "--loglevel", "warning",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        if (Password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(Password);
        }

        lock (_output)
        {
            _output.Clear();
        }

        var process = new Process { StartInfo = start };
        // Drained continuously so a chatty server can never block on a full pipe; kept for error messages.
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        try
        {
            await Poll.UntilAsync(async token => process.HasExited
                ? throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} on port {Port}: {Output()}")
                : await CanConnectAsync(token), $"redis-server accepts connections on port {Port}", StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"redis-server did not accept connections on port {Port} within {StartTimeout}: {Output()}");
        }
    }

    /// <summary>Kills the server (as a crash would) and waits until it has exited and the port is closed.</summary>
    public async Task StopAsync()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>
    /// Freezes the server with SIGSTOP, as a paused VM or a stalled disk would: its sockets stay open and it answers
    /// nothing until <see cref="ThawAsync"/>. Whatever was sent to it meanwhile runs when it is thawed.
    /// </summary>
    public Task FreezeAsync() => ToolProcess.SignalAsync(_process ?? throw new InvalidOperationException("redis-server is not running."), "STOP");

    /// <summary>Lets a frozen server go on (SIGCONT).</summary>
    public Task ThawAsync() => ToolProcess.SignalAsync(_process ?? throw new InvalidOperationException("redis-server is not running."), "CONT");

    /// <summary>Stops and starts the server on the same port (its data and script cache are lost).</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync();
        await StartAsync(cancellationToken);
    }

    /// <summary>Kills the server and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it is a temp directory.
        }

        GC.SuppressFinalize(this);
    }

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindExecutable(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var candidates = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/usr/local/bin").Append("/usr/sbin");
        return candidates.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
    }

    private async Task<bool> CanConnectAsync(CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Count < 200)
            {
                _output.Add(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join(Environment.NewLine, _output);
        }
    }
}
