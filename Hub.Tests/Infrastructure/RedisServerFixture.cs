using StackExchange.Redis;

namespace Hub.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> child process on a free 127.0.0.1 port, with no persistence. Use it as an xunit
/// class fixture (<c>IClassFixture&lt;RedisServerFixture&gt;</c>) or create one per test with <see cref="StartNewAsync"/>.
/// It can be stopped and restarted on the same port to test reconnects, and is killed on dispose.
/// </summary>
public class RedisServerFixture : IAsyncLifetime, IAsyncDisposable
{
    private readonly string _directory;
    private ChildProcess? _process;

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
        Port = FreePorts.Next();
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

        _process = await RedisServer.StartAsync(Port, _directory, Path.Combine(_directory, "redis.log"), Password, Persistent, cancellationToken: cancellationToken);
    }

    /// <summary>Kills the server (as a crash would) and waits until it has exited and the port is closed.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _process, null) is { } process)
        {
            await process.DisposeAsync();
        }
    }

    /// <summary>Freezes the server (SIGSTOP, see <see cref="ChildProcess.FreezeAsync"/>); whatever was sent to it meanwhile runs when it is thawed.</summary>
    public Task FreezeAsync() => (_process ?? throw new InvalidOperationException("redis-server is not running.")).FreezeAsync();

    /// <summary>Lets a frozen server go on (SIGCONT).</summary>
    public Task ThawAsync() => (_process ?? throw new InvalidOperationException("redis-server is not running.")).ThawAsync();

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
}
