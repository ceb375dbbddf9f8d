using System.Collections.Immutable;
using Hub.Client.Internal;
using Hub.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SignalRState = Microsoft.AspNetCore.SignalR.Client.HubConnectionState;

namespace Hub.Client;

/// <summary>
/// What <see cref="ChatClient"/> and <see cref="NotificationClient"/> share: the connection with automatic reconnect,
/// the events, de-duplication of redelivered messages and batched automatic acknowledgement.
/// </summary>
/// <remarks>
/// <para>
/// Transport: each connect attempt builds a new official SignalR <see cref="HubConnection"/> (negotiation, the
/// transports of <see cref="HubClientOptions.Transports"/>, the protocol of <see cref="HubClientOptions.Protocol"/>,
/// handshake, keep-alive). Its own automatic reconnect is not used: it gives up when the server aborts a connection or
/// when <c>OnConnectedAsync</c> fails, and Hub does both on purpose.
/// </para>
/// <para>
/// Reconnect: when an established connection ends without <see cref="StopAsync"/>, the client reconnects with
/// exponential backoff and jitter, forever unless <see cref="HubClientOptions.MaxReconnectAttempts"/> is set. It also
/// reconnects after a server close message that says <c>allowReconnect: false</c>: ASP.NET Core says so when the hub's
/// <c>OnConnectedAsync</c> threw, which for Hub can be a transient store failure. It gives up (raising
/// <see cref="Closed"/>) when a reconnect is refused with HTTP 401 or 403: the token is no longer accepted.
/// </para>
/// <para>
/// Delivery: the server redelivers unacknowledged messages on every connect and then sends <c>Resumed</c>. Each message
/// id is raised through <see cref="MessageReceived"/> and <see cref="OnMessage"/> handlers at most once among the last
/// <see cref="HubClientOptions.DeduplicationCapacity"/> ids, and acknowledged after the handlers returned and the async
/// handlers' tasks completed (also when a handler threw: the redelivery would be filtered as a duplicate anyway, so it
/// could never be handled again; the failure is reported through <see cref="HandlerFailed"/>).
/// </para>
/// <para>
/// Stopping: <see cref="StopAsync"/> and <see cref="DisposeAsync"/> first stop raising events, then wait for the message
/// in hand, then send the acknowledgements of everything handled, so the next process is not given them again. A
/// restarted process can pass the <see cref="Epoch"/> and <see cref="GetRecentMessageIds"/> it persisted through
/// <see cref="HubClientOptions.InitialEpoch"/> and <see cref="HubClientOptions.InitialRecentMessageIds"/>.
/// </para>
/// <para>
/// Logging (<see cref="HubClientOptions.LoggerFactory"/>): one line per event; the failures a connection meets normally
/// (a server closing it, a node dying, a refused reconnect) are logged by their reason, without a stack trace. Each
/// line is logged in a scope with <c>HubUrl</c>, <c>HubUser</c> (<see cref="HubClientOptions.User"/>), <c>HubConnectionId</c> and <c>HubEpoch</c>.
/// </para>
/// <para>
/// Events of one connection are raised one at a time, in the order the server sent them (the official client
/// dispatches a connection's invocations one after the other). A handler may await an invocation (see
/// <see cref="OnMessage"/>), but a slow handler delays later events. They are raised only once the connection is the
/// client's current one: a handler finds <see cref="State"/> <see cref="HubConnectionState.Connected"/> and may call
/// hub methods, also from <see cref="Resumed"/> and the messages redelivered right after a connect, which the server
/// may send before the connect has returned here. After a reconnect, <see cref="Reconnected"/> comes before the new
/// connection's events.
/// </para>
/// </remarks>
public abstract partial class HubClientBase : IAsyncDisposable
{
    private readonly Uri _hubUrl;
    private readonly HubConnectionFactory _connectionFactory;
    private readonly string _messageEvent;
    private readonly HubClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RecentIdSet _recentIds;
    private readonly SemaphoreSlim _lifecycleLock = new(1, 1);
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private readonly List<string> _ackQueue = [];
    private readonly ITimer _ackTimer;

    // Guards _connection, _state, _stopRequested and the reconnect loop, so that a drop racing with a connect or a stop
    // is seen by exactly one of them.
    private readonly Lock _gate = new();
    private HubConnection? _connection;

    // The current connection's protocol, which saw the server's close message, if any.
    private CloseObservingHubProtocol? _closes;
    private HubConnectionState _state;
    private bool _stopRequested;
    private CancellationTokenSource? _reconnectCts;

    // Completed with true once connected, and with false when the client is disconnected for good (stopped, or
    // reconnecting gave up); replaced by a pending one when a connection is lost. A resend awaits it (see Resend.cs).
    private TaskCompletionSource<bool> _connectedSignal = NewConnectedSignal();
    private Task _reconnectTask = Task.CompletedTask;
    private bool _ackTimerArmed;
    private string? _epoch;
    private bool _disposed;
    private ImmutableArray<Func<Envelope, CancellationToken, Task>> _messageHandlers = [];

    // Server events that carry stored entries other than messages (edits, deletions), with what raises each.
    private readonly List<(string Event, Action<Envelope> Raise)> _entryEvents = [];
    private CancellationTokenSource _handlerCts = new();
    private ConnectionLogScope? _logScope;

    // Held while a message is raised and handled (one at a time, also across a reconnect's overlapping connections):
    // StopAsync takes it once to wait for the message in hand; later ones see _stopping and are left to the server.
    private readonly SemaphoreSlim _handlingGate = new(1, 1);
    private volatile bool _stopping;


    // Set while this client's message handlers run, so a StopAsync called from one does not wait for itself.
    private static readonly AsyncLocal<HubClientBase?> s_handling = new();

    /// <summary>Creates a client of the hub at <paramref name="baseUrl"/> + <paramref name="hubPath"/>.</summary>
    /// <param name="baseUrl">The server's base URL, e.g. <c>http://127.0.0.1:5000</c> (http, https, ws or wss; anything else is refused with <see cref="ArgumentException"/>).</param>
    /// <param name="hubPath">The hub's path, one of <see cref="HubPaths"/>.</param>
    /// <param name="messageEvent">The server event that carries messages, one of <see cref="HubEvents"/>.</param>
    /// <param name="options">Settings; <c>null</c> for the defaults.</param>
    protected HubClientBase(Uri baseUrl, string hubPath, string messageEvent, HubClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(hubPath);
        ArgumentNullException.ThrowIfNull(messageEvent);
        _options = options ?? new HubClientOptions();
        if (_options.Problems().FirstOrDefault() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        var builder = new UriBuilder(ToHttpUrl(baseUrl));
        builder.Path = builder.Path.TrimEnd('/') + hubPath;
        _hubUrl = builder.Uri;
        _connectionFactory = new HubConnectionFactory(_hubUrl, _options);
        _messageEvent = messageEvent;
        _timeProvider = _options.TimeProvider ?? TimeProvider.System;
        _logger = (_options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger(GetType());
        _recentIds = new RecentIdSet(_options.DeduplicationCapacity);
        foreach (var id in _options.InitialRecentMessageIds ?? [])
        {
            // Checked here, not in Problems(): the ids may be a one-pass sequence.
            _recentIds.Add(id ?? throw new ArgumentException("A message id in InitialRecentMessageIds is null.", nameof(options)));
        }

        _epoch = _options.InitialEpoch;
        _ackTimer = _timeProvider.CreateTimer(
            static state => _ = ((HubClientBase)state!).FlushAcksInBackgroundAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// A message arrived (chat <c>Message</c> or <c>Notification</c>); never twice with the same id while
    /// <see cref="HubClientOptions.Deduplicate"/> is on. For asynchronous work use <see cref="OnMessage"/>: an
    /// <c>async</c> lambda here is <c>async void</c>, so its exception after the first <c>await</c> crashes the process,
    /// and the message is acknowledged when the lambda reaches that <c>await</c>, not when its work is done.
    /// </summary>
    public event Action<Envelope>? MessageReceived;

    /// <summary>
    /// Adds an asynchronous handler of every message (after the <see cref="MessageReceived"/> event, with the same
    /// de-duplication). Handlers are awaited one after the other, in message order, and with
    /// <see cref="HubClientOptions.AutoAck"/> the message is acknowledged only once every handler's task completed.
    /// A handler that throws or faults is reported (see <see cref="HandlerFailed"/>) and does not stop the others or
    /// the connection; the message is still acknowledged (its redelivery would be filtered as a duplicate anyway).
    /// The token is cancelled when the client stops: a handler that then ends with <see cref="OperationCanceledException"/>
    /// leaves its message unacknowledged, so the server delivers it again on the next connect (of this client or of
    /// the next process).
    /// </summary>
    /// <param name="handler">The handler.</param>
    /// <returns>Disposing it removes the handler.</returns>
    public IDisposable OnMessage(Func<Envelope, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ImmutableInterlocked.Update(ref _messageHandlers, (handlers, added) => handlers.Add(added), handler);
        return new HandlerRegistration(this, handler);
    }

    /// <summary>
    /// Acknowledges messages (for <see cref="HubClientOptions.AutoAck"/> off): queues the ids and sends every queued
    /// acknowledgement now (see <see cref="FlushAcksAsync"/>). While disconnected they stay queued for the next connection.
    /// Acknowledgements are cumulative, for this device: acknowledging a message of a room (or of a conversation, or of
    /// the user's own notifications) acknowledges every earlier one there too, so acknowledge a message only once every
    /// earlier message of its room has been handled.
    /// </summary>
    /// <param name="ids">The message ids (<see cref="Envelope.Id"/>).</param>
    /// <param name="cancellationToken">Stops waiting; the unsent acknowledgements stay queued.</param>
    public Task AckAsync(IEnumerable<string> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        string[] list = [.. ids];
        if (list.Any(id => id is null))
        {
            throw new ArgumentException("A message id is null.", nameof(ids));
        }

        lock (_ackQueue)
        {
            _ackQueue.AddRange(list);
        }

        return FlushAcksAsync(cancellationToken);
    }

    /// <summary>Acknowledges one message; see <see cref="AckAsync(IEnumerable{string}, CancellationToken)"/>.</summary>
    /// <param name="id">The message id (<see cref="Envelope.Id"/>).</param>
    /// <param name="cancellationToken">Stops waiting; the unsent acknowledgement stays queued.</param>
    public Task AckAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return AckAsync([id], cancellationToken);
    }

    /// <summary>
    /// A handler of one of this client's events (an <see cref="OnMessage"/> handler included) threw or faulted. Handler
    /// failures never reach the connection or crash the process, and are never silent: each is logged as an error
    /// through <see cref="HubClientOptions.LoggerFactory"/> and raised here; when there is neither a logger factory nor
    /// a handler of this event (or that handler throws too), it is written to standard error.
    /// </summary>
    public event Action<HandlerFailure>? HandlerFailed;

    /// <summary>The server finished redelivering pending messages after a connect.</summary>
    public event Action<ResumeInfo>? Resumed;

    /// <summary>A user joined a room: (room, user).</summary>
    public event Action<string, string>? UserJoined;

    /// <summary>A user left a room: (room, user).</summary>
    public event Action<string, string>? UserLeft;

    /// <summary>A room member's presence changed: (room, user, online).</summary>
    public event Action<string, string, bool>? PresenceChanged;

    /// <summary>A room the user is in was deleted: (room).</summary>
    public event Action<string>? RoomDeleted;

    /// <summary>The <see cref="State"/> changed; the argument is the new state.</summary>
    public event Action<HubConnectionState>? StateChanged;

    /// <summary>The connection dropped and the client starts reconnecting; the argument is why it dropped.</summary>
    public event Action<Exception?>? Reconnecting;

    /// <summary>A reconnect succeeded.</summary>
    public event Action? Reconnected;

    /// <summary>
    /// The client is disconnected for good: <c>null</c> after <see cref="StopAsync"/>; otherwise the error that made
    /// reconnecting give up (attempts exhausted or credentials refused).
    /// </summary>
    public event Action<Exception?>? Closed;

    /// <summary>The connection state.</summary>
    public HubConnectionState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>
    /// The epoch of the device's delivery state from the last <c>Resumed</c>, sent back on reconnect; before the first, the
    /// <see cref="HubClientOptions.InitialEpoch"/>. Persist it to pass it there after a restart.
    /// </summary>
    public string? Epoch => Volatile.Read(ref _epoch);

    /// <summary>
    /// The ids of the messages raised recently, oldest first, at most <see cref="HubClientOptions.DeduplicationCapacity"/>:
    /// persist them (with <see cref="Epoch"/>) and pass them to <see cref="HubClientOptions.InitialRecentMessageIds"/>
    /// after a restart to keep de-duplicating across it.
    /// </summary>
    /// <returns>A snapshot of the ids.</returns>
    public IReadOnlyList<string> GetRecentMessageIds() => _recentIds.ToArray();

    /// <summary>The hub URL the client connects to.</summary>
    public Uri HubUrl => _hubUrl;

    /// <summary>The user this client acts for, from <see cref="HubClientOptions.User"/>; <c>null</c> when not set.</summary>
    public string? User => _options.User;

    /// <summary>The client's settings.</summary>
    protected HubClientOptions Options => _options;

    /// <summary>Connects. Does not retry: if this first connect fails, it throws and the state is back to Disconnected.</summary>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <exception cref="HubConnectionException">Negotiation, the WebSocket upgrade or the handshake failed.</exception>
    /// <exception cref="InvalidOperationException">The client is not disconnected.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lifecycleLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_gate)
            {
                if (_state != HubConnectionState.Disconnected)
                {
                    throw new InvalidOperationException($"The client can only be started when disconnected; it is {_state}.");
                }

                _stopRequested = false;
                _stopping = false;
                _state = HubConnectionState.Connecting;
                if (_handlerCts.IsCancellationRequested)
                {
                    _handlerCts.Dispose();
                    _handlerCts = new CancellationTokenSource();
                }
            }

            RaiseStateChanged(HubConnectionState.Connecting);
            try
            {
                await ConnectAsync(null, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                lock (_gate)
                {
                    _state = HubConnectionState.Disconnected;
                    SignalDisconnected();
                }

                RaiseStateChanged(HubConnectionState.Disconnected);
                throw;
            }
        }
        finally
        {
            _lifecycleLock.Release();
        }
    }

    /// <summary>
    /// Stops raising events first (a message arriving from now on is left pending on the server, for the next
    /// connect), cancels the handlers' token and waits for the message in hand, then sends the acknowledgements of
    /// everything handled, closes the connection and stops reconnecting. Raises <see cref="Closed"/> with <c>null</c>.
    /// Does nothing when already disconnected.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the acknowledgements and the close.</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycleLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            HubConnection? connection;
            CancellationTokenSource? reconnectCts;
            Task reconnectTask;
            lock (_gate)
            {
                if (_state == HubConnectionState.Disconnected)
                {
                    return;
                }

                _stopRequested = true;
                connection = _connection;
                reconnectCts = _reconnectCts;
                reconnectTask = _reconnectTask;
            }

            _stopping = true;
            reconnectCts?.Cancel();
            await _handlerCts.CancelAsync().ConfigureAwait(false);
            await reconnectTask.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (s_handling.Value != this)
            {
                // The message in hand, if any, is handled (or interrupted) and its ack queued once the gate is free.
                await _handlingGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                _handlingGate.Release();
            }

            // A reconnect that completed before the stop request may have set a newer connection.
            lock (_gate)
            {
                connection = _connection;
            }

            if (connection is not null)
            {
                await FlushAcksAsync(cancellationToken).ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            lock (_gate)
            {
                _connection = null;
                _state = HubConnectionState.Disconnected;
                SignalDisconnected();
            }

            RaiseStateChanged(HubConnectionState.Disconnected);
            Raise(nameof(Closed), () => Closed?.Invoke(null));
        }
        finally
        {
            _lifecycleLock.Release();
        }
    }

    /// <summary>
    /// Sends every acknowledgement queued now, in <c>Ack</c> batches within <see cref="HubClientOptions.AckBatchSize"/>
    /// and <see cref="HubClientOptions.MaxAckMessageBytes"/>, and waits for the server to process them. While
    /// disconnected, or when the connection drops meanwhile, the unsent ones stay queued for the next connection.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; the unsent acknowledgements stay queued.</param>
    public async Task FlushAcksAsync(CancellationToken cancellationToken = default)
    {
        await _flushLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string[] ids;
            lock (_ackQueue)
            {
                ids = [.. _ackQueue];
                _ackQueue.Clear();
                _ackTimerArmed = false;
            }

            if (ids.Length == 0)
            {
                return;
            }

            var connection = CurrentConnection;
            if (connection is null || connection.State != SignalRState.Connected)
            {
                Requeue(ids);
                return;
            }

            var batches = AckBatches.Split(ids, _options.AckBatchSize, _options.MaxAckMessageBytes);
            for (var i = 0; i < batches.Count; i++)
            {
                try
                {
                    await connection.InvokeCoreAsync(HubMethods.Ack, [batches[i]], cancellationToken).ConfigureAwait(false);
                }
                catch (HubException ex)
                {
                    // The server refused this batch; sending it again would be refused again.
                    ClientLog.AckFailed(_logger, batches[i].Length, ClientLog.Reason(ex), null);
                }
                catch (Exception ex)
                {
                    Requeue([.. batches.Skip(i).SelectMany(batch => batch)]);
                    if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }

                    ClientLog.AckFailed(_logger, batches[i].Length, ClientLog.Reason(ex), ClientLog.Unexpected(ex));
                    return;
                }
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    /// <summary><c>JoinRoom(room)</c>: joins a room (a topic, on notifications) and returns it with its members.</summary>
    /// <param name="room">The room's name.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The room and its members with presence.</returns>
    public Task<RoomState> JoinRoomAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return InvokeAsync<RoomState>(HubMethods.JoinRoom, [room], cancellationToken);
    }

    /// <summary><c>LeaveRoom(room)</c>: leaves a room.</summary>
    /// <param name="room">The room's name.</param>
    /// <param name="cancellationToken">Stops waiting for the completion.</param>
    public Task LeaveRoomAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return InvokeAsync(HubMethods.LeaveRoom, [room], cancellationToken);
    }

    /// <summary><c>ListRooms()</c>: the first page of this namespace's rooms, by name (see <see cref="ListRoomsPageAsync"/>).</summary>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The rooms.</returns>
    public async Task<IReadOnlyList<RoomInfo>> ListRoomsAsync(CancellationToken cancellationToken = default) =>
        await InvokeAsync<RoomInfo[]>(HubMethods.ListRooms, [], cancellationToken).ConfigureAwait(false) ?? [];

    /// <summary><c>ListRoomsPage(after, limit)</c>: a page of this namespace's rooms, by name.</summary>
    /// <param name="after">The <see cref="RoomPage.Next"/> of the previous page, or <c>null</c> for the first page.</param>
    /// <param name="limit">Most rooms to return, 1 to the server's <c>Limits:MaxRoomsPage</c> (100 by default).</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The rooms and the cursor of the next page (<c>null</c> on the last page).</returns>
    public Task<RoomPage> ListRoomsPageAsync(string? after, int limit, CancellationToken cancellationToken = default) =>
        InvokeAsync<RoomPage>(HubMethods.ListRoomsPage, [after, limit], cancellationToken);

    /// <summary><c>GetMembers(room)</c>: a room's members with presence.</summary>
    /// <param name="room">The room's name.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The members.</returns>
    public async Task<IReadOnlyList<Member>> GetMembersAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return await InvokeAsync<Member[]>(HubMethods.GetMembers, [room], cancellationToken).ConfigureAwait(false) ?? [];
    }

    /// <summary>Stops the client (see <see cref="StopAsync"/>) and releases its timers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAsync().ConfigureAwait(false);
        _ackTimer.Dispose();
        _handlerCts.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Parses a base URL given as text; refuses one that is not absolute, or whose scheme is not http, https, ws or wss,
    /// with an <see cref="ArgumentException"/> that says which.
    /// </summary>
    /// <param name="baseUrl">The server's base URL, e.g. <c>http://127.0.0.1:5000</c> (http, https, ws or wss; anything else is refused with <see cref="ArgumentException"/>).</param>
    /// <returns>The URL.</returns>
    protected static Uri ParseBaseUrl(string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return Uri.TryCreate(baseUrl, UriKind.Absolute, out var url)
            ? ToHttpUrl(url)
            : throw new ArgumentException(
                $"The base URL '{baseUrl}' is not an absolute URL; write it with its scheme, e.g. http://127.0.0.1:5000.", nameof(baseUrl));
    }

    // The official client negotiates over HTTP and derives the WebSocket URL from it, so ws/wss become http/https.
    // Refused here rather than at connect: "localhost:5000" parses as an absolute URI whose scheme is "localhost".
    internal static Uri ToHttpUrl(Uri baseUrl)
    {
        if (!baseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException(
                $"The base URL '{baseUrl}' is not an absolute URL; write it with its scheme, e.g. http://127.0.0.1:5000.", nameof(baseUrl));
        }

        var scheme = baseUrl.Scheme switch
        {
            "http" or "ws" => Uri.UriSchemeHttp,
            "https" or "wss" => Uri.UriSchemeHttps,
            _ => throw new ArgumentException(
                $"The base URL '{baseUrl}' has the scheme '{baseUrl.Scheme}'; use http://, https://, ws:// or wss://"
                + (baseUrl.OriginalString.Contains("://", StringComparison.Ordinal) ? "." : $" (did you mean http://{baseUrl.OriginalString}?)."),
                nameof(baseUrl)),
        };
        return scheme == baseUrl.Scheme ? baseUrl : new UriBuilder(baseUrl) { Scheme = scheme, Port = baseUrl.Port }.Uri;
    }

    /// <summary>Invokes a hub method on the current connection and returns its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="method">The hub method, one of <see cref="HubMethods"/>.</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The result.</returns>
    /// <exception cref="HubInvocationException">The hub method failed; the message is the server's text, with its error code.</exception>
    /// <exception cref="HubConnectionClosedException">The connection dropped before the result arrived.</exception>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    protected async Task<T> InvokeAsync<T>(string method, IReadOnlyList<object?> arguments, CancellationToken cancellationToken)
    {
        var (connection, closes) = RequireConnection();
        try
        {
            return await connection.InvokeCoreAsync<T>(method, [.. arguments], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (TranslateInvocationError(ex, method, closes, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Invokes a hub method that returns nothing on the current connection.</summary>
    /// <param name="method">The hub method, one of <see cref="HubMethods"/>.</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="cancellationToken">Stops waiting for the completion.</param>
    /// <exception cref="HubInvocationException">The hub method failed; the message is the server's text, with its error code.</exception>
    /// <exception cref="HubConnectionClosedException">The connection dropped before the completion arrived.</exception>
    /// <exception cref="InvalidOperationException">The client is not connected.</exception>
    protected async Task InvokeAsync(string method, IReadOnlyList<object?> arguments, CancellationToken cancellationToken)
    {
        var (connection, closes) = RequireConnection();
        try
        {
            await connection.InvokeCoreAsync(method, [.. arguments], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (TranslateInvocationError(ex, method, closes, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    // The official client fails an invocation with HubException (the server's error text) or, when the connection
    // ends first, with a cancellation or the transport's error: ours say which of the two happened. A server's close
    // message with an error (a node shutting down) also reaches pending invocations as a HubException, carrying the
    // close's text: that one is the connection closing, not the method failing.
    private static Exception? TranslateInvocationError(Exception error, string method, CloseObservingHubProtocol closes,
        CancellationToken cancellationToken) => error switch
    {
        HubException when closes.LastClose is { Error: { } closeError } close && error.Message.EndsWith(closeError, StringComparison.Ordinal) =>
            ClosedException(close, error, $"The connection closed before '{method}' completed."),
        HubException => FromServer(HubError.Parse(error.Message), method, error),
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        OperationCanceledException or IOException or InvalidOperationException or System.Net.WebSockets.WebSocketException =>
            new HubConnectionClosedException($"The connection closed before '{method}' completed.", innerException: error),
        _ => null,
    };

    private static HubInvocationException FromServer(HubError refusal, string method, Exception error) =>
        new(refusal.Message, method, refusal.Code, refusal.IsRetryable, refusal.RetryAfter, error);

    private HubConnection? CurrentConnection
    {
        get
        {
            lock (_gate)
            {
                return _connection;
            }
        }
    }

    private (HubConnection Connection, CloseObservingHubProtocol Closes) RequireConnection()
    {
        lock (_gate)
        {
            return _connection is { } connection
                ? (connection, _closes!)
                : throw new InvalidOperationException($"The client is not connected (state: {_state}).");
        }
    }

    // `connected` runs once the connection is current and before its events are raised (the reconnect loop raises
    // Reconnected there, so that it comes before the new connection's Resumed).
    private async Task ConnectAsync(Action? connected, CancellationToken cancellationToken)
    {
        var (connection, logScope, protocol, adoption) = await OpenAsync(cancellationToken).ConfigureAwait(false);
        bool adopted;
        lock (_gate)
        {
            // If it already closed, its Closed handler ignored it (it was not current yet): treat as a failed connect.
            adopted = connection.State == SignalRState.Connected && !_stopRequested;
            if (adopted)
            {
                _connection = connection;
                _logScope = logScope;
                _closes = protocol;
                _state = HubConnectionState.Connected;
                _connectedSignal.TrySetResult(true);
            }
        }

        if (!adopted)
        {
            adoption.TrySetResult(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw _stopRequested
                ? new OperationCanceledException("The client was stopped while connecting.")
                : ClosedException(protocol.LastClose, error: null, "The connection closed right after it opened.");
        }

        RaiseStateChanged(HubConnectionState.Connected);
        connected?.Invoke();
        // The server's first events on it (Resumed, redelivered messages) are handled from now on, with the client
        // connected and able to call.
        adoption.TrySetResult(true);

        // Acknowledgements queued while disconnected go out on the new connection.
        bool pendingAcks;
        lock (_ackQueue)
        {
            pendingAcks = _ackQueue.Count > 0;
        }

        if (pendingAcks)
        {
            _ = FlushAcksInBackgroundAsync();
        }
    }

    // One attempt: a new HubConnection (the current epoch in its URL, a token asked for it), started within
    // HandshakeTimeout. A WebSocket refused with 404 right after negotiating is negotiated again, on a new connection:
    // the node reached did not know the negotiated id (a node rejoining behind a sticky balancer).
    // The connection's log scope is begun around its start, so the official client's receive loop, and the handlers
    // it calls, log inside it.
    private async Task<(HubConnection Connection, ConnectionLogScope LogScope, CloseObservingHubProtocol Protocol, TaskCompletionSource<bool> Adopted)> OpenAsync(
        CancellationToken cancellationToken)
    {
        for (var negotiation = 1; ; negotiation++)
        {
            using var timeout = new CancellationTokenSource(_options.HandshakeTimeout, _timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var epoch = Epoch;
            var logScope = new ConnectionLogScope(_hubUrl.GetLeftPart(UriPartial.Path), User, epoch);
            using var scope = _logger.BeginScope(logScope);
            HubConnection? connection = null;
            // Completed by ConnectAsync: the connection's events wait for it (ServerEvents).
            var adopted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                // Bounded even when the provider ignores the token: HandshakeTimeout covers the whole connect.
                var token = _options.AccessTokenProvider is { } provider
                    ? await provider(linked.Token).AsTask().WaitAsync(linked.Token).ConfigureAwait(false)
                    : null;
                (connection, var protocol) = _connectionFactory.Create(epoch, token);
                RegisterHandlers(new ServerEvents(connection, adopted.Task), logScope);
                var opened = connection;
                connection.Closed += error =>
                {
                    OnConnectionClosed(opened, error, protocol.LastClose, logScope);
                    return Task.CompletedTask;
                };
                await connection.StartAsync(linked.Token).ConfigureAwait(false);
                logScope.ConnectionId = connection.ConnectionId;
                return (connection, logScope, protocol, adopted);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                adopted.TrySetResult(false);
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }

                if (!_options.SkipNegotiation && negotiation < _options.NegotiateAttempts && !timeout.IsCancellationRequested
                    && ConnectErrors.WebSocketStatus(ex) == System.Net.HttpStatusCode.NotFound)
                {
                    ClientLog.Renegotiating(_logger, negotiation);
                    continue;
                }

                throw ConnectErrors.Translate(ex, _hubUrl, timeout.IsCancellationRequested, _options.HandshakeTimeout);
            }
            catch
            {
                adopted.TrySetResult(false);
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }

                throw;
            }
        }
    }

    private void RegisterHandlers(ServerEvents events, ConnectionLogScope logScope)
    {
        events.OnAsync<Envelope>(_messageEvent, envelope => OnEntryAsync(envelope, HandleAsync));
        foreach (var (eventName, raise) in _entryEvents)
        {
            events.OnAsync<Envelope>(eventName, envelope => OnEntryAsync(envelope, e =>
            {
                RaiseServerEvent(eventName, () => raise(e));
                return Task.FromResult(true);
            }));
        }
        events.On<ResumeInfo>(HubEvents.Resumed, info =>
        {
            Volatile.Write(ref _epoch, info.Epoch);
            logScope.Epoch = info.Epoch;
            RaiseServerEvent(nameof(Resumed), () => Resumed?.Invoke(info));
        });
        events.On<string, string>(HubEvents.UserJoined, (room, user) => RaiseServerEvent(nameof(UserJoined), () => UserJoined?.Invoke(room, user)));
        events.On<string, string>(HubEvents.UserLeft, (room, user) => RaiseServerEvent(nameof(UserLeft), () => UserLeft?.Invoke(room, user)));
        events.On<string, string, bool>(HubEvents.PresenceChanged,
            (room, user, online) => RaiseServerEvent(nameof(PresenceChanged), () => PresenceChanged?.Invoke(room, user, online)));
        events.On<string>(HubEvents.RoomDeleted, room => RaiseServerEvent(nameof(RoomDeleted), () => RoomDeleted?.Invoke(room)));
        RegisterEvents(events);
    }

    /// <summary>Registers a namespace's own server events on each new connection (raise them with <see cref="RaiseServerEvent"/>).</summary>
    private protected virtual void RegisterEvents(ServerEvents events)
    {
    }

    // What the server sends is not raised once StopAsync began: the application is shutting down.
    private protected void RaiseServerEvent(string eventName, Action raise)
    {
        if (!_stopping)
        {
            Raise(eventName, raise);
        }
    }

    /// <summary>
    /// Registers a server event that carries a stored entry of a log other than a message (an edit, a deletion): it is
    /// handled as a message is, in order with messages, de-duplicated by id and acknowledged
    /// (<see cref="HubClientOptions.AutoAck"/>: or the server redelivers it at every connect), but raised through
    /// <paramref name="raise"/> instead of <see cref="MessageReceived"/>. Call it from the constructor.
    /// </summary>
    private protected void OnEntryEvent(string eventName, Action<Envelope> raise) => _entryEvents.Add((eventName, raise));

    // Runs on the connection's receive loop, which awaits it: entries are handled one at a time, in order.
    private async Task OnEntryAsync(Envelope envelope, Func<Envelope, Task<bool>> handle)
    {
        if (envelope is null || envelope.Id is null)
        {
            return;
        }

        await _handlingGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_stopping)
            {
                // Neither raised nor acknowledged: the server keeps it pending for the next connect.
                return;
            }

            if (!_options.Deduplicate || _recentIds.Add(envelope.Id))
            {
                s_handling.Value = this;
                if (!await handle(envelope).ConfigureAwait(false))
                {
                    // Interrupted by StopAsync: unacknowledged, and raised again if this client gets it again.
                    _recentIds.Remove(envelope.Id);
                    ClientLog.HandlingInterrupted(_logger, envelope.Id);
                    return;
                }
            }
            else
            {
                ClientLog.DuplicateFiltered(_logger, envelope.Id);
            }

            // Duplicates are acknowledged again: the server may still hold them as pending.
            if (_options.AutoAck)
            {
                EnqueueAck(envelope.Id);
            }
        }
        finally
        {
            _handlingGate.Release();
        }
    }

    // Raises MessageReceived and awaits the OnMessage handlers; false when one of them gave up because the client stops.
    private async Task<bool> HandleAsync(Envelope envelope)
    {
        try
        {
            MessageReceived?.Invoke(envelope);
        }
        catch (Exception ex)
        {
            ReportHandlerFailure(nameof(MessageReceived), envelope, ex);
        }

        var token = _handlerCts.Token;
        var completed = true;
        foreach (var handler in _messageHandlers)
        {
            try
            {
                await handler(envelope, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                completed = false;
            }
            catch (Exception ex)
            {
                // A user's handler must not break delivery or the connection.
                ReportHandlerFailure(nameof(OnMessage), envelope, ex);
            }
        }

        return completed;
    }

    private void EnqueueAck(string id)
    {
        var flushNow = false;
        lock (_ackQueue)
        {
            _ackQueue.Add(id);
            if (_ackQueue.Count >= _options.AckBatchSize)
            {
                flushNow = true;
            }
            else if (!_ackTimerArmed)
            {
                _ackTimerArmed = true;
                _ackTimer.Change(_options.AckInterval, Timeout.InfiniteTimeSpan);
            }
        }

        if (flushNow)
        {
            _ = FlushAcksInBackgroundAsync();
        }
    }

    private void Requeue(IReadOnlyList<string> ids)
    {
        lock (_ackQueue)
        {
            // In front: they were queued before anything that arrived meanwhile.
            _ackQueue.InsertRange(0, ids);
        }
    }

    private async Task FlushAcksInBackgroundAsync()
    {
        // Off the ack timer, whose callbacks run outside any connection's log scope.
        using var scope = BeginCurrentLogScope();
        try
        {
            await FlushAcksAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ClientLog.AckFailed(_logger, 0, ClientLog.Reason(ex), ClientLog.Unexpected(ex));
        }
    }

    private void OnConnectionClosed(HubConnection connection, Exception? error, CloseMessage? close, ConnectionLogScope logScope)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_connection, connection))
            {
                return;
            }

            _connection = null;
            if (_stopRequested)
            {
                return;
            }

            _state = HubConnectionState.Reconnecting;
            if (_connectedSignal.Task.IsCompleted)
            {
                _connectedSignal = NewConnectedSignal();
            }

            var reconnectCts = new CancellationTokenSource();
            _reconnectCts?.Dispose();
            _reconnectCts = reconnectCts;

            // Off the connection's Closed callback, which must finish for the closed connection to be disposed.
            var cause = ClosedException(close, error, error is null ? "The server closed the connection." : $"The connection closed: {error.Message}");

            // Without the closed connection's execution context: each attempt logs in its own connection's scope.
            using (ExecutionContext.SuppressFlow())
            {
                _reconnectTask = Task.Run(() => ReconnectLoopAsync(cause, logScope, reconnectCts.Token), CancellationToken.None);
            }
        }

        _ = connection.DisposeAsync().AsTask();
    }

    // Logs in the lost connection's scope: these lines are about it (until Reconnected, which names the new one's).
    // Why a connection ended: the server's close error (its human text) when it sent one, else what we saw.
    private static HubConnectionClosedException ClosedException(CloseMessage? close, Exception? error, string otherwise) =>
        new(close?.Error is { } closeError ? HubError.Parse(closeError).Message : otherwise,
            allowReconnect: close?.AllowReconnect ?? true, serverError: close?.Error, innerException: error);

    private async Task ReconnectLoopAsync(Exception? cause, ConnectionLogScope lost, CancellationToken cancellationToken)
    {
        using (_logger.BeginScope(lost))
        {
            ClientLog.ConnectionLost(_logger, _hubUrl.GetLeftPart(UriPartial.Path), ClientLog.Reason(cause), ClientLog.Unexpected(cause));
        }

        RaiseStateChanged(HubConnectionState.Reconnecting);
        Raise(nameof(Reconnecting), () => Reconnecting?.Invoke(cause));

        for (var attempt = 0; ; attempt++)
        {
            if (_options.MaxReconnectAttempts is { } max && attempt >= max)
            {
                GiveUp(cause, lost);
                return;
            }

            var delay = NextDelay(attempt);
            using (_logger.BeginScope(lost))
            {
                ClientLog.ReconnectScheduled(_logger, attempt + 1, delay);
            }

            try
            {
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
                await ConnectAsync(() =>
                {
                    using (BeginCurrentLogScope())
                    {
                        ClientLog.Reconnected(_logger, _hubUrl.GetLeftPart(UriPartial.Path));
                    }

                    Raise(nameof(Reconnected), () => Reconnected?.Invoke());
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HubConnectionException ex) when (ex.IsAuthenticationFailure)
            {
                GiveUp(ex, lost);
                return;
            }
            catch (Exception ex)
            {
                using (_logger.BeginScope(lost))
                {
                    ClientLog.ReconnectFailed(_logger, attempt + 1, ClientLog.Reason(ex), ClientLog.Unexpected(ex));
                }

                cause = ex;
                continue;
            }

            return;
        }
    }

    private void GiveUp(Exception? cause, ConnectionLogScope lost)
    {
        lock (_gate)
        {
            if (_stopRequested)
            {
                return;
            }

            _state = HubConnectionState.Disconnected;
            SignalDisconnected();
        }

        using (_logger.BeginScope(lost))
        {
            ClientLog.ReconnectGaveUp(_logger, _hubUrl.GetLeftPart(UriPartial.Path), ClientLog.Reason(cause), ClientLog.Unexpected(cause));
        }

        RaiseStateChanged(HubConnectionState.Disconnected);
        Raise(nameof(Closed), () => Closed?.Invoke(cause));
    }

    private static TaskCompletionSource<bool> NewConnectedSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Under _gate: whoever waits for a connection learns there will be none; the next start waits on a fresh signal.
    private void SignalDisconnected()
    {
        var signal = _connectedSignal;
        _connectedSignal = NewConnectedSignal();
        signal.TrySetResult(false);
    }

    private TimeSpan NextDelay(int attempt)
    {
        // Exponential, capped, with jitter; the exponent is bounded so the double never overflows.
        var baseMs = _options.ReconnectInitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var cappedMs = Math.Min(baseMs, _options.ReconnectMaxDelay.TotalMilliseconds);
        var jitter = Math.Clamp(_options.ReconnectJitter, 0, 1);
        var ms = cappedMs * (1 + (jitter * ((2 * Random.Shared.NextDouble()) - 1)));
        return TimeSpan.FromMilliseconds(Math.Max(0, ms));
    }

    // The current (or last) connection's scope, for what runs outside a connection's execution context.
    private IDisposable? BeginCurrentLogScope() => Volatile.Read(ref _logScope) is { } scope ? _logger.BeginScope(scope) : null;

    private void RaiseStateChanged(HubConnectionState state) => Raise(nameof(StateChanged), () => StateChanged?.Invoke(state));

    private void Raise(string eventName, Action raise)
    {
        try
        {
            raise();
        }
        catch (Exception ex)
        {
            // A user's handler must not break delivery or the connection.
            ReportHandlerFailure(eventName, null, ex);
        }
    }

    // Never silent: logged, raised through HandlerFailed, and written to standard error when nobody else hears of it.
    private void ReportHandlerFailure(string eventName, Envelope? message, Exception exception)
    {
        ClientLog.EventHandlerFailed(_logger, eventName, message?.Id, exception);
        var heard = _options.LoggerFactory is not null;
        if (HandlerFailed is { } listeners)
        {
            try
            {
                listeners(new HandlerFailure(eventName, message, exception));
                heard = true;
            }
            catch (Exception listenerError)
            {
                ClientLog.EventHandlerFailed(_logger, nameof(HandlerFailed), message?.Id, listenerError);
            }
        }

        if (!heard)
        {
            Console.Error.WriteLine(
                $"Hub.Client: a handler of the {eventName} event threw{(message is null ? "" : $" on message {message.Id}")} " +
                $"(set HubClientOptions.LoggerFactory or handle HandlerFailed to report it elsewhere): {exception}");
        }
    }

    private void RemoveHandler(Func<Envelope, CancellationToken, Task> handler) =>
        ImmutableInterlocked.Update(ref _messageHandlers, (handlers, removed) => handlers.Remove(removed), handler);

    private sealed class HandlerRegistration(HubClientBase client, Func<Envelope, CancellationToken, Task> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                client.RemoveHandler(handler);
            }
        }
    }
}
