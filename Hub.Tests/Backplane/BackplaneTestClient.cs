using Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Hub.Tests.Backplane;

/// <summary>A real WebSocket client of <see cref="BackplaneTestHub"/> (the official client) that logs what it receives.</summary>
public sealed class BackplaneTestClient : IAsyncDisposable
{
    private BackplaneTestClient(RawHubConnection connection, MessageLog received, string connectionId, string? user)
    {
        Connection = connection;
        Received = received;
        ConnectionId = connectionId;
        User = user;
    }

    /// <summary>The error text this client answers every client-result invocation with.</summary>
    public const string ClientResultRefusal = "Client results are not supported by this client.";

    public RawHubConnection Connection { get; }

    /// <summary>Every <c>Receive</c> message, in order.</summary>
    public MessageLog Received { get; }

    /// <summary>The server's id for this connection (what the hub targets).</summary>
    public string ConnectionId { get; }

    public string? User { get; }

    /// <summary>Connects to <paramref name="hubUrl"/>, as <paramref name="user"/> when given.</summary>
    public static async Task<BackplaneTestClient> ConnectAsync(Uri hubUrl, string? user = null)
    {
        var url = user is null ? hubUrl : new UriBuilder(hubUrl) { Query = $"user={Uri.EscapeDataString(user)}" }.Uri;
        var connection = await RawHubConnection.ConnectAsync(url);
        var received = new MessageLog();
        connection.On<string>(BackplaneTestHub.ReceiveEvent, received.Add);

        // Refuses client-result questions with a fixed text, so tests can tell this client's answer from other errors.
        connection.Connection.On<string, string>(BackplaneTestHub.AskMethod,
            (Func<string, string>)(_ => throw new InvalidOperationException(ClientResultRefusal)));
        try
        {
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
