using System.Net;
using System.Net.Sockets;

namespace Hub.Tests.Redis;

/// <summary>
/// A TCP server on 127.0.0.1 that answers every connection with a script, to feed the client bytes no real
/// Redis would send. Connections that never send anything (the subscription connection) are left idle.
/// </summary>
internal sealed class FakeRedisServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<NetworkStream, CancellationToken, Task> _onCommand;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Task _acceptLoop;

    /// <param name="onCommand">Called once per connection, after its first bytes arrive.</param>
    public FakeRedisServer(Func<NetworkStream, CancellationToken, Task> onCommand)
    {
        _onCommand = onCommand;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string ConnectionString(string extra = "") => $"127.0.0.1:{Port},reconnectMaxDelay=100{extra}";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_clients)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        try
        {
            await _acceptLoop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            lock (_clients)
            {
                _clients.Add(client);
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var buffer = new byte[4096];
            if (await stream.ReadAsync(buffer, _stop.Token) > 0)
            {
                await _onCommand(stream, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The client went away or the server stopped.
        }
    }
}
