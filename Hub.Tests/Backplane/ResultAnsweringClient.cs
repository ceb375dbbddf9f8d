using Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Hub.Tests.Backplane;

/// <summary>
/// An official SignalR client that answers client-result invocations of <see cref="BackplaneTestHub.AskMethod"/> with
/// <c>answer:&lt;question&gt;</c>. With <c>answer: false</c> it records the question and stays silent (its handler never
/// completes), for the timeout and disconnect cases.
/// </summary>
public sealed class ResultAnsweringClient : IAsyncDisposable
{
    private readonly RawHubConnection _connection;

    private ResultAnsweringClient(RawHubConnection connection, string connectionId, TaskCompletionSource<string> asked)
    {
        _connection = connection;
        ConnectionId = connectionId;
        Asked = asked;
    }

    /// <summary>The server's id for this connection.</summary>
    public string ConnectionId { get; }

    /// <summary>Completes with the first question asked.</summary>
    public TaskCompletionSource<string> Asked { get; }

    /// <summary>Connects straight over WebSockets (no negotiation) and performs the handshake.</summary>
    public static async Task<ResultAnsweringClient> ConnectAsync(Uri hubUrl, bool answer = true)
    {
        var connection = await RawHubConnection.ConnectAsync(hubUrl, skipNegotiation: true);
        var asked = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var silence = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Connection.On<string, string>(BackplaneTestHub.AskMethod, question =>
        {
            asked.TrySetResult(question);
            return answer ? Task.FromResult("answer:" + question) : silence.Task;
        });
        try
        {
            var connectionId = await connection.InvokeAsync<string>(nameof(BackplaneTestHub.GetConnectionId), []).WaitAsync(TestTimeouts.Default);
            return new ResultAnsweringClient(connection, connectionId, asked);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
