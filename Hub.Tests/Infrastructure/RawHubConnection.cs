using Hub.Client;
using Hub.Contracts.Serialization;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
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

    private RawHubConnection(HubConnection connection)
    {
        Connection = connection;
        connection.Closed += error =>
        {
            _closeReason = error;
            Volatile.Write(ref _closed, 1);
            Closed?.Invoke(error);
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

    /// <summary>Connects to <paramref name="url"/> over WebSockets, with a bearer token when given.</summary>
    public static async Task<RawHubConnection> ConnectAsync(Uri url, string? accessToken = null, bool messagePack = false, bool skipNegotiation = false,
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
        if (messagePack)
        {
            builder.AddMessagePackProtocol(o => o.SerializerOptions = HubMessagePack.SerializerOptions);
        }

        var raw = new RawHubConnection(builder.Build());
        try
        {
            await raw.Connection.StartAsync().WaitAsync(TestTimeouts.Default);
        }
        catch (Exception ex)
        {
            await raw.DisposeAsync();
            throw new HubConnectionException($"Connecting to {url} failed: {ex.Message}", (ex as HttpRequestException)?.StatusCode, ex);
        }

        return raw;
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

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
