using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Hub.Bench.Hosting;

/// <summary>Starts a throw-away redis-server: no snapshots, no append-only file, loopback only.</summary>
public static class RedisServer
{
    /// <summary>Starts redis-server on <paramref name="port"/> and waits for PONG.</summary>
    public static async Task<ChildProcess> StartAsync(int port, HostingOptions options, CancellationToken cancellationToken)
    {
        var child = ChildProcess.Start("redis", "redis-server",
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no"],
            options.RunDirectory, Path.Combine(options.RunDirectory, "redis.log"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (child.HasExited)
            {
                var tail = child.Tail();
                await child.DisposeAsync();
                throw new InvalidOperationException($"redis-server exited:{Environment.NewLine}{tail}");
            }

            if (await PingAsync(port, cancellationToken))
            {
                return child;
            }

            if (DateTime.UtcNow > deadline)
            {
                await child.DisposeAsync();
                throw new TimeoutException("redis-server did not answer PING within 20 s.");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static async Task<bool> PingAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
