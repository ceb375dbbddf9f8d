using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Hub.Redis.Connections;

/// <summary>
/// One socket to Redis. Many callers write commands (in order, under a write lock) and one reader loop
/// matches replies to them in FIFO order. When anything goes wrong (socket error, protocol error, a command
/// timing out) the whole connection is failed: every pending caller gets a <see cref="RedisConnectionException"/>
/// and the owner (<see cref="ConnectionSupervisor"/>) reconnects. It never reconnects itself.
/// </summary>
internal sealed partial class PhysicalConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _pendingLock = new();
    private readonly Queue<PendingReply> _pending = new();
    private readonly TaskCompletionSource<Exception> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Func<RedisResult, bool>? _pushHandler;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private Exception? _failure;
    private Task _readLoop = Task.CompletedTask;

    private PhysicalConnection(
        RedisEndPoint endPoint,
        RedisConnectionKind kind,
        Socket socket,
        Stream stream,
        Func<RedisResult, bool>? pushHandler,
        ILogger logger,
        TimeProvider timeProvider)
    {
        EndPoint = endPoint;
        Kind = kind;
        _socket = socket;
        _stream = stream;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        _pushHandler = pushHandler;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>The server this socket is connected to.</summary>
    public RedisEndPoint EndPoint { get; }

    /// <summary>Which of the client's connections this is (for logs and messages).</summary>
    public RedisConnectionKind Kind { get; }

    /// <summary>True once the connection has failed or been closed; it is never usable again.</summary>
    public bool IsFailed => Volatile.Read(ref _failure) is not null;

    /// <summary>Completes (with the cause) when the connection fails or is closed.</summary>
    public Task<Exception> Closed => _closed.Task;

    /// <summary>
    /// Connects a socket (and TLS when configured), starts the reader loop and runs the handshake
    /// (AUTH, SELECT for the interactive connection, CLIENT SETNAME), all within <c>connectTimeout</c>.
    /// </summary>
    /// <exception cref="RedisConnectionException">The connection, TLS or handshake failed or timed out.</exception>
    public static async Task<PhysicalConnection> ConnectAsync(
        RedisEndPoint endPoint,
        RedisConfiguration configuration,
        RedisConnectionKind kind,
        Func<RedisResult, bool>? pushHandler,
        ILogger logger,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(configuration.ConnectTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        PhysicalConnection? connection = null;
        try
        {
            // TCP keep-alive as a second line of defence against half-open sockets (the PING keep-alive is the first).
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            await socket.ConnectAsync(endPoint.Host, endPoint.Port, linked.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (configuration.Ssl)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = configuration.SslHost ?? endPoint.Host,
                        RemoteCertificateValidationCallback = configuration.CertificateValidation,
                    },
                    linked.Token).ConfigureAwait(false);
            }

            connection = new PhysicalConnection(endPoint, kind, socket, stream, pushHandler, logger, timeProvider);
            connection.StartReading();
            await connection.HandshakeAsync(configuration, linked.Token).ConfigureAwait(false);
            return connection;
        }
        catch (Exception ex)
        {
            var error = timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                ? new RedisConnectionException(
                    $"Connecting to Redis at {endPoint} timed out after {(long)configuration.ConnectTimeout.TotalMilliseconds} ms.",
                    new RedisTimeoutException($"connectTimeout ({(long)configuration.ConnectTimeout.TotalMilliseconds} ms) elapsed."))
                : ex as RedisConnectionException ?? new RedisConnectionException($"Could not connect to Redis at {endPoint}: {ex.Message}", ex);
            if (connection is not null)
            {
                connection.Fail(error);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                socket.Dispose();
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw error;
        }
    }

    /// <summary>
    /// Fails the connection once: records the cause, fails every pending caller, closes the socket and
    /// completes <see cref="Closed"/>. Later calls do nothing. Safe from any thread.
    /// </summary>
    /// <param name="cause">Why; a <see cref="RedisConnectionException"/> is handed to callers as is, anything else is wrapped.</param>
    public void Fail(Exception cause)
    {
        PendingReply[] orphans;
        lock (_pendingLock)
        {
            if (_failure is not null)
            {
                return;
            }

            _failure = cause;
            orphans = _pending.ToArray();
            _pending.Clear();
        }

        var forCallers = AsConnectionException(cause);
        LogConnectionFailed(_logger, Kind, EndPoint, orphans.Length, cause.Message);
        foreach (var orphan in orphans)
        {
            // A batch has several entries but one sink; only the first Fail counts.
            orphan.Sink.Fail(forCallers);
        }

        // Wake the reader loop and any writer stuck in a flush, then close the socket underneath them.
        _reader.CancelPendingRead();
        _writer.CancelPendingFlush();
        try
        {
            _stream.Dispose();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // Closing a broken stream may throw; the socket is disposed below either way.
        }

        _socket.Dispose();
        _closed.TrySetResult(cause);
        _ = CompleteWriterAsync();
    }

    /// <summary>Fails the connection (if not yet) and waits for the reader loop to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        Fail(new RedisConnectionException($"The {Kind} connection to {EndPoint} was closed."));
        await _readLoop.ConfigureAwait(false);
    }

    private RedisConnectionException AsConnectionException(Exception cause) =>
        cause as RedisConnectionException
        ?? new RedisConnectionException($"The {Kind} connection to Redis at {EndPoint} failed: {cause.Message}", cause);

    private async Task HandshakeAsync(RedisConfiguration configuration, CancellationToken cancellationToken)
    {
        var commands = new List<RedisCommand>(3);
        var authIndex = -1;
        var selectIndex = -1;
        var nameIndex = -1;
        if (configuration.Password is not null)
        {
            authIndex = commands.Count;
            commands.Add(configuration.User is null
                ? new RedisCommand("AUTH", configuration.Password)
                : new RedisCommand("AUTH", configuration.User, configuration.Password));
        }

        // Pub/sub channels are not per-database, so only the interactive connection selects one.
        if (Kind == RedisConnectionKind.Interactive && configuration.DefaultDatabase is > 0 and var db)
        {
            selectIndex = commands.Count;
            commands.Add(new RedisCommand("SELECT", db));
        }

        if (configuration.ClientName is not null)
        {
            nameIndex = commands.Count;
            commands.Add(new RedisCommand("CLIENT", "SETNAME", configuration.ClientName));
        }

        if (commands.Count == 0)
        {
            return;
        }

        // One round trip for the whole handshake; connectTimeout bounds it through the token.
        var replies = await SendAsync(commands, commands.Count, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        if (authIndex >= 0 && replies[authIndex].IsError)
        {
            throw new RedisConnectionException(
                $"Redis at {EndPoint} rejected AUTH: {replies[authIndex].ErrorMessage}",
                new RedisServerException(replies[authIndex].ErrorMessage!));
        }

        if (selectIndex >= 0 && replies[selectIndex].IsError)
        {
            throw new RedisConnectionException(
                $"Redis at {EndPoint} rejected SELECT {configuration.DefaultDatabase}: {replies[selectIndex].ErrorMessage}",
                new RedisServerException(replies[selectIndex].ErrorMessage!));
        }

        if (nameIndex >= 0 && replies[nameIndex].IsError)
        {
            // Some hosted Redis services disable CLIENT; the name is only a diagnostic aid.
            LogClientNameRejected(_logger, EndPoint, replies[nameIndex].ErrorMessage);
        }
    }
}
