using System.Globalization;

namespace Hub.Bench.Hosting;

/// <summary>
/// Starts nginx in front of the nodes with a generated config. Round-robin is enough because the benchmark's clients
/// skip negotiation (the WebSocket is the only request of a connection); a browser that negotiates needs
/// <c>ip_hash</c> or a sticky cookie instead, which on one loopback address would put every client on one node.
/// </summary>
public static class NginxProxy
{
    /// <summary>Writes the config and starts nginx on <paramref name="port"/>, proxying to <paramref name="upstreamPorts"/>.</summary>
    public static async Task<ChildProcess> StartAsync(int port, IReadOnlyList<int> upstreamPorts, HostingOptions options, CancellationToken cancellationToken)
    {
        var upstreams = upstreamPorts.Select(p => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{p}")).ToList();
        var child = await NginxServer.StartAsync(new NginxConfig(port, upstreams) { Workers = options.NginxWorkers },
            Path.Combine(options.RunDirectory, "nginx"), Path.Combine(options.RunDirectory, "nginx.log"), cancellationToken);
        try
        {
            await HubServerNode.WaitReadyAsync(child, new Uri($"http://127.0.0.1:{port}/readyz"), cancellationToken);
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }

        return child;
    }
}
