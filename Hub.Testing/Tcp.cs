using System.Net;
using System.Net.Sockets;

namespace Hub.Testing;

/// <summary>Whether something listens on a loopback port.</summary>
public static class Tcp
{
    /// <summary>True when a TCP connection to 127.0.0.1:<paramref name="port"/> succeeds.</summary>
    public static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
