using Hub.Client;
using Hub.Client.Internal;
using Hub.Contracts.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;

namespace Hub.Tests.Infrastructure;

/// <summary>
/// The official SignalR <see cref="HubConnection"/> without Hub.Client's machinery (no reconnect, no acks, no
/// de-duplication), for sending what the typed client never would and for testing the server's side alone. Failed
/// invocations surface as <see cref="HubInvocationException"/>, like the typed client's.
/// </summary>
public sealed class RawHubConnection : IAsyncDisposable
{
    private Exception? _closeReason;
    private int _closed;

    private readonly Uri _url;

    private RawHubConnection(HubConnection connection, CloseObservingHubProtocol protocol, Uri url)
    {
        Connection = connection;
        _url = url;
        connection.Closed += error =>
        {
            // As Hub.Client reports it: the server's close message (error text, allowReconnect) when it sent one.
            var close = protocol.LastClose;
            _closeReason = close is null && error is null
                ? null
                : new HubConnectionClosedException(close?.Error ?? error!.Message, close?.AllowReconnect ?? true, close?.Error, error);
            Volatile.Write(ref _closed, 1);
            Closed?.Invoke(_closeReason);
            return Task.CompletedTask;
        };
    }

    /// <summary>The official connection.</summary>
    public HubConnection Connection { get; }

    /// <summary>Raised once when the connection ends (null: without an error).</summary>
    public event Action<Exception?>? Closed;

    /// <summary>True while connected.</summary>
    public bool IsConnected => Connection.State == Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected;

    /// <summary>True once the connection ended.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Why the connection ended, once it did.</summary>
    public Exception? CloseReason => _closeReason;

    /// <summary>A connection to <paramref name="url"/>, not started, with a bearer token when given.</summary>
    public static RawHubConnection Create(Uri url, string? accessToken = null, bool messagePack = false, bool skipNegotiation = false,
        HttpTransportType transports = HttpTransportType.WebSockets)
    {
        var builder = new HubConnectionBuilder().WithUrl(url, transports, o =>
        {
            o.SkipNegotiation = skipNegotiation;
            if (accessToken is not null)
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(accessToken);
            }
        });
        var protocol = new CloseObservingHubProtocol(messagePack
            ? new MessagePackHubProtocol(Options.Create(new MessagePackHubProtocolOptions { SerializerOptions = HubMessagePack.SerializerOptions }))
            : new JsonHubProtocol(Options.Create(new JsonHubProtocolOptions())));
        builder.Services.AddSingleton<IHubProtocol>(protocol);
        return new RawHubConnection(builder.Build(), protocol, url);
    }

    /// <summary>Connects to <paramref name="url"/> over WebSockets (by default), with a bearer token when given.</summary>
    public static async Task<RawHubConnection> ConnectAsync(Uri url, string? accessToken = null, bool messagePack = false, bool skipNegotiation = false,
        HttpTransportType transports = HttpTransportType.WebSockets)
    {
        var raw = Create(url, accessToken, messagePack, skipNegotiation, transports);
        try
        {
            await raw.StartAsync();
        }
        catch
        {
            await raw.DisposeAsync();
            throw;
        }

        return raw;
    }

    /// <summary>Starts the connection; a refusal surfaces as <see cref="HubConnectionException"/> with the HTTP status.</summary>
    public async Task StartAsync()
    {
        try
        {
            await Connection.StartAsync().WaitAsync(TestTimeouts.Default);
        }
        catch (Exception ex) when (ex is not TimeoutException)
        {
            var status = Flatten(ex).OfType<HttpRequestException>().Select(e => e.StatusCode).FirstOrDefault(s => s is not null);
            throw new HubConnectionException($"Connecting to {_url} failed: {ex.Message}", status, ex);
        }
    }

    /// <summary>Registers a handler of a server event.</summary>
    public IDisposable On<T>(string target, Action<T> handler) => Connection.On(target, handler);

    /// <summary>Invokes a hub method and returns its result.</summary>
    public async Task<T> InvokeAsync<T>(string method, IReadOnlyList<object?> arguments, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Connection.InvokeCoreAsync<T>(method, [.. arguments], cancellationToken);
        }
        catch (HubException ex)
        {
            throw new HubInvocationException(ex.Message, method);
        }
    }

    /// <summary>Invokes a hub method that returns nothing.</summary>
    public async Task InvokeAsync(string method, IReadOnlyList<object?> arguments, CancellationToken cancellationToken = default)
    {
        try
        {
            await Connection.InvokeCoreAsync(method, [.. arguments], cancellationToken);
        }
        catch (HubException ex)
        {
            throw new HubInvocationException(ex.Message, method);
        }
    }

    /// <summary>Sends a hub method call without waiting for a result.</summary>
    public Task SendAsync(string method, IReadOnlyList<object?> arguments, CancellationToken cancellationToken = default) =>
        Connection.SendCoreAsync(method, [.. arguments], cancellationToken);

    private static IEnumerable<Exception> Flatten(Exception error) => error switch
    {
        AggregateException aggregate => [aggregate, .. aggregate.InnerExceptions.SelectMany(Flatten)],
        { InnerException: { } inner } => [error, .. Flatten(inner)],
        _ => [error],
    };

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
