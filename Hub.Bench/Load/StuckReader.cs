using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Hub.Contracts;

namespace Hub.Bench.Load;

/// <summary>
/// A chat connection that completes SignalR's JSON handshake and then never reads, only pings: a client whose
/// network or process is stuck. Its socket's receive buffer is pinned small, so the server's writes to it stall soon.
/// </summary>
public sealed class StuckReader : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes($"{{\"type\":6}}{RecordSeparator}");
    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker _invoker;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pinging;

    private StuckReader(ClientWebSocket socket, HttpMessageInvoker invoker)
    {
        _socket = socket;
        _invoker = invoker;
        _pinging = PingAsync(_stop.Token);
    }

    /// <summary>Connects to the chat hub at <paramref name="baseUrl"/> with <paramref name="token"/> and completes the handshake.</summary>
    public static async Task<StuckReader> ConnectAsync(Uri baseUrl, string token, CancellationToken cancellationToken)
    {
        var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 16 * 1024 };
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        var socket = new ClientWebSocket();
        var url = new UriBuilder(new Uri(baseUrl, HubPaths.Chat.TrimStart('/')))
        {
            Scheme = baseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Query = $"access_token={Uri.EscapeDataString(token)}",
        }.Uri;
        await socket.ConnectAsync(url, invoker, cancellationToken);
        await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"protocol\":\"json\",\"version\":1}}{RecordSeparator}"), WebSocketMessageType.Text, true, cancellationToken);
        // The only read: the handshake answer (it may share its frame with Resumed).
        var buffer = new byte[4096];
        var answer = await socket.ReceiveAsync(buffer, cancellationToken);
        if (!Encoding.UTF8.GetString(buffer, 0, answer.Count).StartsWith($"{{}}{RecordSeparator}", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The stuck reader's handshake failed.");
        }

        return new StuckReader(socket, invoker);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pinging;
        _socket.Abort();
        _socket.Dispose();
        _invoker.Dispose();
        _stop.Dispose();
    }

    // A ping every 5 s, like SignalR clients (well inside the server's 30 s client timeout).
    private async Task PingAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await _socket.SendAsync(Ping, WebSocketMessageType.Text, true, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            // The server closed it; a stuck reader does not come back.
        }
    }
}
