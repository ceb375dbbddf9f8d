using Hub.Client.Protocol;

namespace Hub.Tests.Backplane;

/// <summary>A real WebSocket client of <see cref="BackplaneTestHub"/> (our own protocol client) that logs what it receives.</summary>
public sealed class BackplaneTestClient : IAsyncDisposable
{
    private BackplaneTestClient(HubProtocolConnection connection, MessageLog received, string connectionId, string? user)
    {
        Connection = connection;
        Received = received;
        ConnectionId = connectionId;
        User = user;
    }

    public HubProtocolConnection Connection { get; }

    /// <summary>Every <c>Receive</c> message, in order.</summary>
    public MessageLog Received { get; }

    /// <summary>The server's id for this connection (what the hub targets).</summary>
    public string ConnectionId { get; }

    public string? User { get; }

    /// <summary>Connects to <paramref name="hubUrl"/>, as <paramref name="user"/> when given.</summary>
    public static async Task<BackplaneTestClient> ConnectAsync(Uri hubUrl, string? user = null)
    {
        var connection = new HubProtocolConnection(hubUrl, new HubProtocolConnectionOptions
        {
            QueryParameters = user is null ? null : new Dictionary<string, string> { ["user"] = user },
        });
        var received = new MessageLog();
        connection.On<string>(BackplaneTestHub.ReceiveEvent, received.Add);
        try
        {
            await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
            var connectionId = await connection.InvokeAsync<string>(nameof(BackplaneTestHub.GetConnectionId), []).WaitAsync(TimeSpan.FromSeconds(10));
            return new BackplaneTestClient(connection, received, connectionId, user);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Invokes a hub method and waits (10 s at most) for it to complete.</summary>
    public Task InvokeAsync(string method, params object?[] arguments) =>
        Connection.InvokeAsync(method, arguments).WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Invokes a hub method and waits (10 s at most) for its result.</summary>
    public Task<T> InvokeAsync<T>(string method, params object?[] arguments) =>
        Connection.InvokeAsync<T>(method, arguments).WaitAsync(TimeSpan.FromSeconds(10));

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
