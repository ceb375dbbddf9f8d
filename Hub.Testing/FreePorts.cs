using System.Net;
using System.Net.Sockets;

namespace Hub.Testing;

/// <summary>Free TCP ports on 127.0.0.1, found by binding port 0 and letting the listener go.</summary>
public static class FreePorts
{
    /// <summary>A port nothing listens on right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
