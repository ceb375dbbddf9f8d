using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Client.Protocol;

/// <summary>
/// One connection to an ASP.NET Core SignalR hub, speaking the JSON hub protocol (version 1) over a WebSocket.
/// An instance connects once: after it closes, create a new one (the typed clients do that to reconnect).
/// </summary>
/// <remarks>
/// One receive loop reads and frames messages; completions are matched to pending invocations on that loop, and
/// server invocations are queued to one dispatch loop, so handlers run one at a time in the order the server sent
/// them while a handler may itself await an invocation. All writes go through one send lock.
/// </remarks>
public sealed class HubProtocolConnection : IAsyncDisposable
{
    // One HttpClient for every negotiation: it pools connections; the lifetime bound picks up DNS changes.
    private static readonly HttpClient s_httpClient = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

    private static readonly TimeSpan s_closeTimeout = TimeSpan.FromSeconds(2);

    // Which connection's dispatch loop the current code runs on: StopAsync must not wait for the loop it runs on.
    private static readonly AsyncLocal<HubProtocolConnection?> s_dispatching = new();

    private readonly Uri _url;
    private readonly HubProtocolConnectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly JsonSerializerOptions _serializerOptions;
    private readonly Dictionary<string, List<InvocationHandler>> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PendingInvocation> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _lifetimeCts = new();
    private readonly TaskCompletionSource _handshakeTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closedTcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<Dispatch> _dispatchChannel = Channel.CreateUnbounded<Dispatch>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private ClientWebSocket? _socket;
    private Task _receiveTask = Task.CompletedTask;
    private Task _dispatchTask = Task.CompletedTask;
    private ITimer? _timer;
    private long _nextInvocationId;
    private long _lastReceivedTimestamp;
    private long _lastSentTimestamp;
    private int _startCalled;
    private volatile bool _connected;

    // First close reason wins; null with _closing set means "stopped locally".
    private int _closing;
    private Exception? _closeReason;

    /// <summary>Creates a connection to the hub at <paramref name="url"/>; nothing is sent until <see cref="StartAsync"/>.</summary>
    /// <param name="url">The hub's URL, e.g. <c>http://127.0.0.1:5000/hubs/chat</c> (http or https; ws and wss are accepted too).</param>
    /// <param name="options">Connection settings; <c>null</c> for the defaults.</param>
    public HubProtocolConnection(Uri url, HubProtocolConnectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https" or "ws" or "wss"))
        {
            throw new ArgumentException("The hub URL must be an absolute http, https, ws or wss URL.", nameof(url));
        }

        _url = url;
        _options = options ?? new HubProtocolConnectionOptions();
        if (_options.KeepAliveInterval <= TimeSpan.Zero || _options.ServerTimeout <= TimeSpan.Zero || _options.HandshakeTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("KeepAliveInterval, ServerTimeout and HandshakeTimeout must be positive.", nameof(options));
        }
        if (_options.NegotiateAttempts < 1)
        {
            throw new ArgumentException("NegotiateAttempts must be at least 1.", nameof(options));
        }

        _timeProvider = _options.TimeProvider ?? TimeProvider.System;
        _logger = (_options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<HubProtocolConnection>();
        _serializerOptions = _options.SerializerOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
    }

    /// <summary>
    /// Raised once when a connection that had started closes. The argument is <c>null</c> when it was closed by
    /// <see cref="StopAsync"/> or <see cref="DisposeAsync"/>; otherwise a <see cref="HubConnectionClosedException"/>
    /// (its message is exactly the server's error text when the server closed the connection with an error).
    /// Raised after every server invocation received before the close has been dispatched.
    /// </summary>
    public event Action<Exception?>? Closed;

    /// <summary>The hub URL this connection was created with.</summary>
    public Uri Url => _url;

    /// <summary><c>true</c> from a successful handshake until the connection starts closing.</summary>
    public bool IsConnected => _connected && Volatile.Read(ref _closing) == 0;

    /// <summary>The reason the connection closed, once it has (see <see cref="Closed"/>); <c>null</c> while open or when stopped locally.</summary>
    public Exception? CloseReason => Volatile.Read(ref _closing) == 0 ? null : Volatile.Read(ref _closeReason);

    /// <summary><c>true</c> once the connection has started closing, for whatever reason.</summary>
    public bool IsClosed => Volatile.Read(ref _closing) != 0;

    /// <summary>
    /// Registers a handler for server invocations of <paramref name="target"/>. The arguments are deserialized to
    /// <paramref name="parameterTypes"/>; an invocation whose arguments do not bind is logged and skipped.
    /// A handler that throws is logged; the connection goes on.
    /// </summary>
    /// <param name="target">The method name the server invokes (ordinal, case-sensitive).</param>
    /// <param name="parameterTypes">The types to deserialize the arguments to, in order.</param>
    /// <param name="handler">Receives the deserialized arguments.</param>
    /// <returns>Disposing it removes the handler.</returns>
    public IDisposable On(string target, Type[] parameterTypes, Func<object?[], Task> handler)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(parameterTypes);
        ArgumentNullException.ThrowIfNull(handler);

        var registration = new InvocationHandler(parameterTypes, handler);
        lock (_handlers)
        {
            if (!_handlers.TryGetValue(target, out var list))
            {
                _handlers[target] = list = [];
            }

            list.Add(registration);
        }

        return new Registration(this, target, registration);
    }

    /// <summary>Registers a handler for server invocations of <paramref name="target"/> without arguments.</summary>
    /// <param name="target">The method name the server invokes.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>Disposing it removes the handler.</returns>
    public IDisposable On(string target, Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(target, [], _ => { handler(); return Task.CompletedTask; });
    }

    /// <summary>Registers a handler for server invocations of <paramref name="target"/> with one argument.</summary>
    /// <typeparam name="T1">The argument's type.</typeparam>
    /// <param name="target">The method name the server invokes.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>Disposing it removes the handler.</returns>
    public IDisposable On<T1>(string target, Action<T1> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(target, [typeof(T1)], args => { handler((T1)args[0]!); return Task.CompletedTask; });
    }

    /// <summary>Registers a handler for server invocations of <paramref name="target"/> with two arguments.</summary>
    /// <typeparam name="T1">The first argument's type.</typeparam>
    /// <typeparam name="T2">The second argument's type.</typeparam>
    /// <param name="target">The method name the server invokes.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>Disposing it removes the handler.</returns>
    public IDisposable On<T1, T2>(string target, Action<T1, T2> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(target, [typeof(T1), typeof(T2)], args => { handler((T1)args[0]!, (T2)args[1]!); return Task.CompletedTask; });
    }

    /// <summary>Registers a handler for server invocations of <paramref name="target"/> with three arguments.</summary>
    /// <typeparam name="T1">The first argument's type.</typeparam>
    /// <typeparam name="T2">The second argument's type.</typeparam>
    /// <typeparam name="T3">The third argument's type.</typeparam>
    /// <param name="target">The method name the server invokes.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>Disposing it removes the handler.</returns>
    public IDisposable On<T1, T2, T3>(string target, Action<T1, T2, T3> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return On(target, [typeof(T1), typeof(T2), typeof(T3)], args =>
        {
            handler((T1)args[0]!, (T2)args[1]!, (T3)args[2]!);
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Negotiates (unless <see cref="HubProtocolConnectionOptions.SkipNegotiation"/>), opens the WebSocket and performs
    /// the handshake. Can be called once per instance.
    /// </summary>
    /// <param name="cancellationToken">Cancels connecting.</param>
    /// <exception cref="HubConnectionException">Negotiation, the WebSocket upgrade or the handshake failed or timed out.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _startCalled, 1) != 0)
        {
            throw new InvalidOperationException("A HubProtocolConnection can be started once; create a new one to connect again.");
        }

        // The handshake timeout covers opening the WebSocket and the handshake, not negotiation (an HTTP call with its own limits).
        using var timeoutCts = new CancellationTokenSource();
        try
        {
            var accessToken = _options.AccessTokenProvider is null ? null : await _options.AccessTokenProvider(cancellationToken).ConfigureAwait(false);

            using var handshakeTimer = _timeProvider.CreateTimer(static state => ((CancellationTokenSource)state!).Cancel(), timeoutCts, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            using var linkedCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
            var negotiate = !_options.SkipNegotiation && _url.Scheme is "http" or "https";
            for (var attempt = 1; ; attempt++)
            {
                var url = _url;
                string? connectionToken = null;
                var token = accessToken;
                if (negotiate)
                {
                    (url, connectionToken, token) = await NegotiateAsync(url, accessToken, cancellationToken).ConfigureAwait(false);
                }

                handshakeTimer.Change(_options.HandshakeTimeout, Timeout.InfiniteTimeSpan);
                try
                {
                    await ConnectWebSocketAsync(url, connectionToken, token, linkedCts.Token).ConfigureAwait(false);
                    break;
                }
                catch (HubConnectionException ex) when (connectionToken is not null && ex.StatusCode == HttpStatusCode.NotFound && attempt < _options.NegotiateAttempts)
                {
                    // The node that took the WebSocket is not the one that negotiated (SignalR answers 404 for an
                    // unknown connection token): a fresh negotiation gets a token from wherever the balancer sends us now.
                    ProtocolLog.NegotiatedConnectionUnknown(_logger, StripQuery(url), attempt);
                    handshakeTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    _socket?.Dispose();
                    _socket = null;
                }
            }

            await SendCoreAsync(HubMessageWriter.HandshakeRequest, linkedCts.Token).ConfigureAwait(false);
            await _handshakeTcs.Task.WaitAsync(linkedCts.Token).ConfigureAwait(false);

            var tick = Min(TimeSpan.FromSeconds(1), Min(_options.KeepAliveInterval, _options.ServerTimeout) / 4);
            tick = tick < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : tick;
            _timer = _timeProvider.CreateTimer(static state => ((HubProtocolConnection)state!).OnTimerTick(), this, tick, tick);
            _connected = true;
            if (IsClosed)
            {
                // Closed between the handshake and here: the close path may have missed the timer.
                _timer.Dispose();
            }

            ProtocolLog.Connected(_logger, StripQuery(_url));
        }
        catch (Exception ex)
        {
            var failure = ex switch
            {
                OperationCanceledException when timeoutCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested =>
                    new HubConnectionException($"Connecting to {StripQuery(_url)} timed out: no handshake response within {_options.HandshakeTimeout}.", null, ex),
                OperationCanceledException => ex,
                HubConnectionException => ex,
                _ when _handshakeTcs.Task.IsFaulted => _handshakeTcs.Task.Exception!.InnerException!,
                _ => new HubConnectionException($"Connecting to {StripQuery(_url)} failed: {ex.Message}", null, ex),
            };
            TrySetClosing(failure);
            _lifetimeCts.Cancel();
            _socket?.Abort();
            await _receiveTask.ConfigureAwait(false);
            _dispatchChannel.Writer.TryComplete();
            await _dispatchTask.ConfigureAwait(false);

            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }
    }

    /// <summary>Invokes a hub method and waits for its result.</summary>
    /// <typeparam name="T">The type to deserialize the result to.</typeparam>
    /// <param name="method">The hub method name.</param>
    /// <param name="arguments">The arguments, serialized as JSON by their runtime types.</param>
    /// <param name="cancellationToken">Stops waiting (the server still runs the method if it was sent).</param>
    /// <returns>The method's result.</returns>
    /// <exception cref="HubInvocationException">The hub method failed; the message is the server's error text.</exception>
    /// <exception cref="HubConnectionClosedException">The connection closed before the result arrived.</exception>
    public async Task<T> InvokeAsync<T>(string method, IReadOnlyList<object?> arguments, CancellationToken cancellationToken = default)
    {
        var result = await InvokeCoreAsync(method, arguments, typeof(T), cancellationToken).ConfigureAwait(false);
        return result is null ? default! : (T)result;
    }

    /// <summary>Invokes a hub method that returns nothing and waits for it to complete.</summary>
    /// <param name="method">The hub method name.</param>
    /// <param name="arguments">The arguments, serialized as JSON by their runtime types.</param>
    /// <param name="cancellationToken">Stops waiting (the server still runs the method if it was sent).</param>
    /// <exception cref="HubInvocationException">The hub method failed; the message is the server's error text.</exception>
    /// <exception cref="HubConnectionClosedException">The connection closed before the completion arrived.</exception>
    public Task InvokeAsync(string method, IReadOnlyList<object?> arguments, CancellationToken cancellationToken = default) =>
        InvokeCoreAsync(method, arguments, resultType: null, cancellationToken);

    /// <summary>Invokes a hub method without waiting for it: no invocation id, so the server sends no completion.</summary>
    /// <param name="method">The hub method name.</param>
    /// <param name="arguments">The arguments, serialized as JSON by their runtime types.</param>
    /// <param name="cancellationToken">Cancels waiting for the send lock.</param>
    /// <exception cref="HubConnectionClosedException">The connection is closed.</exception>
    public Task SendAsync(string method, IReadOnlyList<object?> arguments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(arguments);
        ThrowIfNotConnected();
        return SendCoreAsync(HubMessageWriter.Invocation(null, method, arguments, _serializerOptions), cancellationToken);
    }

    /// <summary>
    /// Closes the connection: sends a WebSocket close, waits briefly for the server's, and waits until
    /// <see cref="Closed"/> has been raised (unless called from a handler of this connection).
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the close to finish.</param>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _startCalled, 1, 0) == 0)
        {
            // Never started: nothing to close.
            TrySetClosing(null);
            return;
        }

        if (TrySetClosing(null) && _socket is { } socket)
        {
            await CloseSocketAsync(socket).ConfigureAwait(false);
            try
            {
                // The server answers our close frame with its own, which ends the receive loop.
                await _receiveTask.WaitAsync(s_closeTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        _lifetimeCts.Cancel();
        await _receiveTask.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (s_dispatching.Value != this)
        {
            await _dispatchTask.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the connection (see <see cref="StopAsync"/>) and releases its resources.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
        }

        _timer?.Dispose();
        _socket?.Dispose();
    }

    private async Task<object?> InvokeCoreAsync(string method, IReadOnlyList<object?> arguments, Type? resultType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(arguments);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfNotConnected();

        var invocationId = Interlocked.Increment(ref _nextInvocationId).ToString(CultureInfo.InvariantCulture);
        var pending = new PendingInvocation(method, resultType);
        _pending[invocationId] = pending;

        // The close path sets _closing before it fails the pending invocations: either it sees ours, or we see the flag.
        if (IsClosed)
        {
            _pending.TryRemove(invocationId, out _);
            throw CreateClosedException(method);
        }

        try
        {
            await SendCoreAsync(HubMessageWriter.Invocation(invocationId, method, arguments, _serializerOptions), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _pending.TryRemove(invocationId, out _);
            throw;
        }

        using var registration = cancellationToken.Register(() =>
        {
            if (_pending.TryRemove(invocationId, out var removed))
            {
                removed.Completion.TrySetCanceled(cancellationToken);
            }
        });
        return await pending.Completion.Task.ConfigureAwait(false);
    }

    private async Task SendCoreAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new InvalidOperationException("The connection has not been started.");
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsClosed)
            {
                throw CreateClosedException(null);
            }

            // The lifetime token, not the caller's: cancelling a WebSocket send aborts the whole socket.
            await socket.SendAsync(payload, WebSocketMessageType.Text, endOfMessage: true, _lifetimeCts.Token).ConfigureAwait(false);
            Volatile.Write(ref _lastSentTimestamp, _timeProvider.GetTimestamp());
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException && !cancellationToken.IsCancellationRequested)
        {
            throw CreateClosedException(null, ex);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task<(Uri Url, string? ConnectionToken, string? AccessToken)> NegotiateAsync(Uri url, string? accessToken, CancellationToken cancellationToken)
    {
        // The server may redirect to another endpoint (e.g. Azure SignalR); follow a bounded number of redirects.
        for (var redirects = 0; redirects < 10; redirects++)
        {
            var negotiateUrl = BuildUrl(url, "/negotiate", [new("negotiateVersion", "1")], _options.QueryParameters);
            ProtocolLog.Negotiating(_logger, StripQuery(negotiateUrl));
            using var request = new HttpRequestMessage(HttpMethod.Post, negotiateUrl);
            if (accessToken is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            }

            HttpResponseMessage response;
            try
            {
                response = await s_httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new HubConnectionException($"Negotiation with {StripQuery(negotiateUrl)} failed: {ex.Message}", null, ex);
            }

            using (response)
            {
                if (!response.IsSuccessStatusCode)
                {
                    throw new HubConnectionException(
                        $"Negotiation with {StripQuery(negotiateUrl)} failed: the server answered {(int)response.StatusCode} {response.ReasonPhrase}.",
                        response.StatusCode);
                }

                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (TryGetString(root, "error", out var error))
                {
                    throw new HubConnectionException(error);
                }

                if (TryGetString(root, "url", out var redirectUrl))
                {
                    url = new Uri(redirectUrl);
                    accessToken = TryGetString(root, "accessToken", out var redirectToken) ? redirectToken : accessToken;
                    continue;
                }

                if (root.TryGetProperty("availableTransports", out var transports) && transports.ValueKind == JsonValueKind.Array
                    && !transports.EnumerateArray().Any(t => TryGetString(t, "transport", out var name) && name == "WebSockets"))
                {
                    throw new HubConnectionException($"The server at {StripQuery(url)} does not offer the WebSockets transport.");
                }

                var connectionToken = TryGetString(root, "connectionToken", out var token) ? token
                    : TryGetString(root, "connectionId", out var id) ? id
                    : throw new HubConnectionException("The negotiate response has no connection token.");
                return (url, connectionToken, accessToken);
            }
        }

        throw new HubConnectionException("Negotiation redirected too many times.");
    }

    private async Task ConnectWebSocketAsync(Uri url, string? connectionToken, string? accessToken, CancellationToken cancellationToken)
    {
        var query = new List<KeyValuePair<string, string>>();
        if (connectionToken is not null)
        {
            query.Add(new("id", connectionToken));
        }

        if (accessToken is not null)
        {
            // Browsers cannot set headers on WebSockets, so SignalR servers read the token from this parameter.
            query.Add(new("access_token", accessToken));
        }

        var webSocketUrl = BuildUrl(url, string.Empty, query, _options.QueryParameters);
        var builder = new UriBuilder(webSocketUrl) { Scheme = webSocketUrl.Scheme is "https" or "wss" ? "wss" : "ws" };
        webSocketUrl = builder.Uri;

        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (accessToken is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + accessToken);
        }

        _socket = socket;
        ProtocolLog.OpeningWebSocket(_logger, StripQuery(webSocketUrl));
        try
        {
            await socket.ConnectAsync(webSocketUrl, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            var status = socket.HttpStatusCode;
            var detail = status == 0 ? ex.Message : $"the server answered {(int)status} {status}";
            throw new HubConnectionException(
                $"Opening the WebSocket to {StripQuery(webSocketUrl)} failed: {detail}.", status == 0 ? null : status, ex);
        }

        var now = _timeProvider.GetTimestamp();
        Volatile.Write(ref _lastReceivedTimestamp, now);
        Volatile.Write(ref _lastSentTimestamp, now);
        _receiveTask = ReceiveLoopAsync(socket);
        _dispatchTask = DispatchLoopAsync();
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket)
    {
        // Yield first so StartAsync goes on to send the handshake while this loop waits for data.
        await Task.Yield();
        var buffer = new MessageBuffer(_options.MaximumReceiveMessageSize);
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.GetReceiveMemory(), _lifetimeCts.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    failure = new HubConnectionClosedException(
                        $"The server closed the WebSocket ({socket.CloseStatus}) without a close message.");
                    break;
                }

                Volatile.Write(ref _lastReceivedTimestamp, _timeProvider.GetTimestamp());
                buffer.Advance(result.Count);
                var keepReading = true;
                while (keepReading && buffer.TryReadMessage(out var message))
                {
                    keepReading = ProcessMessage(message);
                }

                if (!keepReading)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_lifetimeCts.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            failure = ex is HubConnectionClosedException or HubConnectionException ? ex
                : new HubConnectionClosedException($"The connection was lost: {ex.Message}", innerException: ex);
        }

        await CompleteCloseAsync(socket, failure).ConfigureAwait(false);
    }

    private async Task CompleteCloseAsync(ClientWebSocket socket, Exception? failure)
    {
        TrySetClosing(failure ?? new HubConnectionClosedException("The connection was closed."));
        _timer?.Dispose();

        var reason = Volatile.Read(ref _closeReason);
        _handshakeTcs.TrySetException(reason as HubConnectionException
            ?? new HubConnectionException($"The connection closed during the handshake: {reason?.Message ?? "stopped"}", null, reason));

        foreach (var invocationId in _pending.Keys)
        {
            if (_pending.TryRemove(invocationId, out var pending))
            {
                pending.Completion.TrySetException(CreateClosedException(pending.Method, reason));
            }
        }

        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await CloseSocketAsync(socket).ConfigureAwait(false);
        }

        _lifetimeCts.Cancel();
        socket.Abort();
        _dispatchChannel.Writer.TryComplete();
        ProtocolLog.Closed(_logger, reason);
    }

    private async Task CloseSocketAsync(ClientWebSocket socket)
    {
        // Under the send lock: a WebSocket allows one send at a time and a close frame is a send.
        if (!await _sendLock.WaitAsync(s_closeTimeout).ConfigureAwait(false))
        {
            socket.Abort();
            return;
        }

        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(s_closeTimeout);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            ProtocolLog.CloseFailed(_logger, ex);
            socket.Abort();
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Handles one message on the receive loop; returns <c>false</c> when the connection must close.</summary>
    private bool ProcessMessage(ReadOnlyMemory<byte> message)
    {
        using var document = JsonDocument.Parse(message);
        var root = document.RootElement;
        if (!_handshakeTcs.Task.IsCompleted)
        {
            if (TryGetString(root, "error", out var handshakeError))
            {
                // The server's own words: the caller of StartAsync sees exactly what the server said.
                var failure = new HubConnectionException(handshakeError);
                TrySetClosing(failure);
                _handshakeTcs.TrySetException(failure);
                return false;
            }

            _handshakeTcs.TrySetResult();
            return true;
        }

        if (!root.TryGetProperty("type", out var typeElement) || !typeElement.TryGetInt32(out var type))
        {
            throw new InvalidDataException("The server sent a message without a 'type'.");
        }

        switch (type)
        {
            case 1:
                HandleInvocation(root);
                return true;
            case 3:
                HandleCompletion(root);
                return true;
            case 6:
                return true;
            case 7:
                var error = TryGetString(root, "error", out var text) ? text : null;
                var allowReconnect = root.TryGetProperty("allowReconnect", out var allow) && allow.ValueKind == JsonValueKind.True;
                ProtocolLog.ServerClosed(_logger, error, allowReconnect);
                TrySetClosing(new HubConnectionClosedException(error ?? "The server closed the connection.", allowReconnect, error));
                return false;
            default:
                // Streaming, cancel, ack and sequence messages: this client starts none of them.
                ProtocolLog.IgnoringMessage(_logger, type);
                return true;
        }
    }

    private void HandleInvocation(JsonElement root)
    {
        if (!TryGetString(root, "target", out var target))
        {
            throw new InvalidDataException("The server sent an invocation without a 'target'.");
        }

        if (TryGetString(root, "invocationId", out var invocationId))
        {
            // The server waits for a client result we never give: answer at once instead of letting it hang.
            _ = SendIgnoringFailureAsync(HubMessageWriter.CompletionError(invocationId, "Client results are not supported by this client."));
        }

        InvocationHandler[] handlers;
        lock (_handlers)
        {
            handlers = _handlers.TryGetValue(target, out var list) ? [.. list] : [];
        }

        if (handlers.Length == 0)
        {
            ProtocolLog.NoHandler(_logger, target);
            return;
        }

        var arguments = root.TryGetProperty("arguments", out var array) && array.ValueKind == JsonValueKind.Array ? array : default;
        var count = arguments.ValueKind == JsonValueKind.Array ? arguments.GetArrayLength() : 0;
        foreach (var handler in handlers)
        {
            try
            {
                if (count != handler.ParameterTypes.Length)
                {
                    throw new InvalidDataException($"Expected {handler.ParameterTypes.Length} arguments, received {count}.");
                }

                var values = new object?[count];
                var index = 0;
                foreach (var argument in arguments.EnumerateArray())
                {
                    values[index] = argument.Deserialize(handler.ParameterTypes[index], _serializerOptions);
                    index++;
                }

                _dispatchChannel.Writer.TryWrite(new Dispatch(target, handler, values));
            }
            catch (Exception ex) when (ex is JsonException or InvalidDataException or NotSupportedException)
            {
                ProtocolLog.ArgumentBindingFailed(_logger, target, ex);
            }
        }
    }

    private void HandleCompletion(JsonElement root)
    {
        if (!TryGetString(root, "invocationId", out var invocationId))
        {
            throw new InvalidDataException("The server sent a completion without an 'invocationId'.");
        }

        if (!_pending.TryRemove(invocationId, out var pending))
        {
            ProtocolLog.UnknownCompletion(_logger, invocationId);
            return;
        }

        if (TryGetString(root, "error", out var error))
        {
            pending.Completion.TrySetException(new HubInvocationException(error, pending.Method));
            return;
        }

        try
        {
            var result = pending.ResultType is not null && root.TryGetProperty("result", out var value)
                ? value.Deserialize(pending.ResultType, _serializerOptions)
                : null;
            pending.Completion.TrySetResult(result);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // A result that does not fit the expected type fails that call only, not the connection.
            ProtocolLog.ResultBindingFailed(_logger, invocationId, ex);
            pending.Completion.TrySetException(ex);
        }
    }

    private async Task DispatchLoopAsync()
    {
        await Task.Yield();
        s_dispatching.Value = this;
        await foreach (var dispatch in _dispatchChannel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await dispatch.Handler.Callback(dispatch.Arguments).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                ProtocolLog.HandlerFailed(_logger, dispatch.Target, ex);
            }
        }

        // Closed only for a connection that was up: a failed StartAsync reports by throwing.
        if (_handshakeTcs.Task.IsCompletedSuccessfully)
        {
            try
            {
                Closed?.Invoke(CloseReason);
            }
            catch (Exception ex)
            {
                ProtocolLog.ClosedHandlerFailed(_logger, ex);
            }
        }

        _closedTcs.TrySetResult();
    }

    private void OnTimerTick()
    {
        if (IsClosed || !_connected)
        {
            return;
        }

        var now = _timeProvider.GetTimestamp();
        if (_timeProvider.GetElapsedTime(Volatile.Read(ref _lastReceivedTimestamp), now) >= _options.ServerTimeout)
        {
            ProtocolLog.ServerTimeout(_logger, _options.ServerTimeout);
            TrySetClosing(new HubConnectionClosedException(
                $"Server timeout ({_options.ServerTimeout.TotalMilliseconds:0} ms) elapsed without receiving a message from the server.",
                innerException: new TimeoutException()));
            _lifetimeCts.Cancel();
            return;
        }

        if (_timeProvider.GetElapsedTime(Volatile.Read(ref _lastSentTimestamp), now) >= _options.KeepAliveInterval)
        {
            _ = SendIgnoringFailureAsync(HubMessageWriter.Ping);
        }
    }

    private async Task SendIgnoringFailureAsync(ReadOnlyMemory<byte> payload)
    {
        try
        {
            await SendCoreAsync(payload, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The receive loop notices a dead connection; nothing more to do here.
            ProtocolLog.PingFailed(_logger, ex);
        }
    }

    private bool TrySetClosing(Exception? reason)
    {
        if (Interlocked.CompareExchange(ref _closing, 1, 0) != 0)
        {
            return false;
        }

        Volatile.Write(ref _closeReason, reason);
        return true;
    }

    private void ThrowIfNotConnected()
    {
        if (!_connected)
        {
            throw new InvalidOperationException("The connection has not been started.");
        }

        if (IsClosed)
        {
            throw CreateClosedException(null);
        }
    }

    private Exception CreateClosedException(string? method, Exception? inner = null)
    {
        inner ??= CloseReason;
        var what = method is null ? "The connection is closed" : $"The connection closed before '{method}' completed";
        var allowReconnect = inner is not HubConnectionClosedException closed || closed.AllowReconnect;
        return new HubConnectionClosedException(
            inner is null ? $"{what}: it was stopped." : $"{what}: {inner.Message}", allowReconnect, (inner as HubConnectionClosedException)?.ServerError, inner);
    }

    private static Uri BuildUrl(Uri url, string pathSuffix, IEnumerable<KeyValuePair<string, string>> query, IReadOnlyDictionary<string, string>? extra)
    {
        var builder = new UriBuilder(url);
        builder.Path = builder.Path.TrimEnd('/') + pathSuffix;
        var text = new StringBuilder(builder.Query.TrimStart('?'));
        foreach (var (key, value) in extra is null ? query : query.Concat(extra))
        {
            text.Append(text.Length == 0 ? string.Empty : "&").Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        builder.Query = text.ToString();
        return builder.Uri;
    }

    // URLs in logs and exceptions never show the query: it can hold the access token.
    private static string StripQuery(Uri url) => url.GetLeftPart(UriPartial.Path);

    private static bool TryGetString(JsonElement element, string name, out string value)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String)
        {
            value = property.GetString()!;
            return true;
        }

        value = string.Empty;
        return false;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void Unregister(string target, InvocationHandler handler)
    {
        lock (_handlers)
        {
            if (_handlers.TryGetValue(target, out var list))
            {
                list.Remove(handler);
            }
        }
    }

    private sealed record InvocationHandler(Type[] ParameterTypes, Func<object?[], Task> Callback);

    private sealed record Dispatch(string Target, InvocationHandler Handler, object?[] Arguments);

    private sealed class PendingInvocation(string method, Type? resultType)
    {
        public string Method { get; } = method;

        public Type? ResultType { get; } = resultType;

        public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Registration(HubProtocolConnection connection, string target, InvocationHandler handler) : IDisposable
    {
        public void Dispose() => connection.Unregister(target, handler);
    }
}
