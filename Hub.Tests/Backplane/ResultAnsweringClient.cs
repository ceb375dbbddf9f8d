using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Hub.Tests.Backplane;

/// <summary>
/// A minimal JSON hub-protocol client over a raw WebSocket that answers client-result invocations of
/// <see cref="BackplaneTestHub.AskMethod"/> (our protocol client does not support client results yet). With
/// <c>answer: false</c> it records the question and stays silent, for the timeout and disconnect cases.
/// </summary>
public sealed class ResultAnsweringClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _answer;
    private Task _receiveLoop = Task.CompletedTask;
    private int _nextId;

    private ResultAnsweringClient(bool answer) => _answer = answer;

    /// <summary>The server's id for this connection.</summary>
    public string ConnectionId { get; private set; } = string.Empty;

    /// <summary>Completes with the first question asked.</summary>
    public TaskCompletionSource<string> Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Connects straight over WebSockets (no negotiation) and performs the handshake.</summary>
    public static async Task<ResultAnsweringClient> ConnectAsync(Uri hubUrl, bool answer = true)
    {
        var client = new ResultAnsweringClient(answer);
        try
        {
            var url = new UriBuilder(hubUrl) { Scheme = hubUrl.Scheme == "https" ? "wss" : "ws" }.Uri;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await client._socket.ConnectAsync(url, timeout.Token);
            client._receiveLoop = client.ReceiveLoopAsync();
            await client.SendAsync("{\"protocol\":\"json\",\"version\":1}");
            await client._handshake.Task.WaitAsync(TimeSpan.FromSeconds(10));
            var id = await client.InvokeAsync(nameof(BackplaneTestHub.GetConnectionId));
            client.ConnectionId = id.GetString()!;
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Abort();
        try
        {
            await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception)
        {
            // The loop ends with the socket; how is irrelevant here.
        }

        _socket.Dispose();
    }

    private async Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }));
        return await completion.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task SendAsync(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json + RecordSeparator);
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        var text = new StringBuilder();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                var all = text.ToString();
                var end = all.LastIndexOf(RecordSeparator);
                if (end < 0)
                {
                    continue;
                }

                text.Clear().Append(all[(end + 1)..]);
                foreach (var message in all[..end].Split(RecordSeparator))
                {
                    await HandleAsync(message);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new IOException("The connection closed."));
            }
        }
    }

    private async Task HandleAsync(string message)
    {
        using var document = JsonDocument.Parse(message);
        var root = document.RootElement;
        if (!_handshake.Task.IsCompleted)
        {
            _handshake.TrySetResult();
            return;
        }

        var type = root.GetProperty("type").GetInt32();
        if (type == 1 && root.GetProperty("target").GetString() == BackplaneTestHub.AskMethod
            && root.TryGetProperty("invocationId", out var invocationId))
        {
            var question = root.GetProperty("arguments")[0].GetString()!;
            Asked.TrySetResult(question);
            if (_answer)
            {
                await SendAsync(JsonSerializer.Serialize(new { type = 3, invocationId = invocationId.GetString(), result = "answer:" + question }));
            }
        }
        else if (type == 3 && _pending.TryRemove(root.GetProperty("invocationId").GetString()!, out var pending))
        {
            if (root.TryGetProperty("error", out var error))
            {
                pending.TrySetException(new InvalidOperationException(error.GetString()));
            }
            else
            {
                pending.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
            }
        }
    }
}
