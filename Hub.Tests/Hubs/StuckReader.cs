using System.Net.Sockets;
using Hub.Contracts;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Hubs;

/// <summary>
/// A raw hub connection that completes SignalR's JSON handshake and then does not read, only sends pings (until
/// <see cref="ReadNotificationsAsync"/>): the slow reader of a real network. Its socket's receive buffer is pinned small (which also stops the kernel growing it),
/// so the server's writes stall after a few megabytes at most.
/// </summary>
internal sealed class StuckReader : IDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;

    private StuckReader(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        _socket = socket;
        _invoker = invoker;
    }

    /// <summary>Connects as <paramref name="user"/> to the hub at <paramref name="path"/> and completes the handshake.</summary>
    public static async Task<StuckReader> ConnectAsync(HubTestHost host, string path, string user)
    {
        var token = await host.TokenAsync(user);
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 16 * 1024 };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        var socket = new ClientWebSocket();
        var url = new UriBuilder(new Uri(host.BaseAddress, path.TrimStart('/'))) { Scheme = "ws", Query = $"access_token={Uri.EscapeDataString(token)}" }.Uri;
        await socket.ConnectAsync(url, invoker, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"protocol\":\"json\",\"version\":1}}{RecordSeparator}"), WebSocketMessageType.Text, true, CancellationToken.None);
        // The handshake answer may share its frame with what follows (Resumed): only its start is checked.
        var buffer = new byte[4096];
        var handshake = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        var received = Encoding.UTF8.GetString(buffer, 0, handshake.Count);
        if (!received.StartsWith($"{{}}{RecordSeparator}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The handshake failed: {received}");
        }
        return new StuckReader(socket, invoker);
    }

    /// <summary>Sends a SignalR ping (type 6), as a live client does to stay connected; never reads.</summary>
    public Task PingAsync() =>
        _socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":6}}{RecordSeparator}"), WebSocketMessageType.Text, true, CancellationToken.None)
            .WaitAsync(TestTimeouts.Default);

    /// <summary>
    /// Starts reading: returns the first argument's <c>type</c> of the next <paramref name="count"/> invocations of
    /// <c>Notification</c>, each parsed on its own from the JSON protocol's record-separated stream (however the server
    /// framed them; other messages are skipped), and the number of WebSocket messages read.
    /// </summary>
    public async Task<(IReadOnlyList<string> Types, int Frames)> ReadNotificationsAsync(int count)
    {
        var types = new List<string>();
        var frames = 0;
        var pending = new List<byte>();
        var buffer = new byte[64 * 1024];
        while (types.Count < count)
        {
            var received = await _socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TestTimeouts.Default);
            frames += received.EndOfMessage ? 1 : 0;
            pending.AddRange(buffer.AsSpan(0, received.Count));
            int end;
            while ((end = pending.IndexOf((byte)RecordSeparator)) >= 0)
            {
                using var message = JsonDocument.Parse(pending.GetRange(0, end).ToArray());
                pending.RemoveRange(0, end + 1);
                if (message.RootElement.GetProperty("type").GetInt32() == 1
                    && message.RootElement.GetProperty("target").GetString() == HubEvents.Notification)
                {
                    types.Add(message.RootElement.GetProperty("arguments")[0].GetProperty("type").GetString()!);
                }
            }
        }
        return (types, frames);
    }

    public void Dispose()
    {
        _socket.Abort();
        _socket.Dispose();
        _invoker.Dispose();
    }
}
