using System.Globalization;
using System.Text;

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
        var prefix = Path.Combine(options.RunDirectory, "nginx");
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        Directory.CreateDirectory(Path.Combine(prefix, "temp"));
        var config = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(config, Config(port, upstreamPorts, options.NginxWorkers), cancellationToken);

        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";
        var child = ChildProcess.Start("nginx", nginx, ["-p", prefix + "/", "-c", config, "-g", "daemon off;"], prefix, Path.Combine(options.RunDirectory, "nginx.log"));
        try
        {
            await ServerNode.WaitReadyAsync(child, new Uri($"http://127.0.0.1:{port}/readyz"), cancellationToken);
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }

        return child;
    }

    private static string Config(int port, IReadOnlyList<int> upstreamPorts, int workers)
    {
        var servers = new StringBuilder();
        foreach (var upstream in upstreamPorts)
        {
            servers.Append(CultureInfo.InvariantCulture, $"    server 127.0.0.1:{upstream};\n");
        }

        // Running as root, nginx would switch its workers to 'nobody', who cannot write the temp dirs under the prefix.
        var user = Environment.UserName == "root" ? "user root;\n" : "";
        return string.Create(CultureInfo.InvariantCulture, $$"""
            {{user}}worker_processes {{workers}};
            worker_rlimit_nofile 20000;
            error_log logs/error.log warn;
            pid logs/nginx.pid;
            events { worker_connections 19000; }
            http {
              access_log off;
              client_body_temp_path temp/body;
              proxy_temp_path temp/proxy;
              fastcgi_temp_path temp/fastcgi;
              uwsgi_temp_path temp/uwsgi;
              scgi_temp_path temp/scgi;
              map $http_upgrade $connection_upgrade { default upgrade; '' close; }
              upstream hub {
            {{servers}}  }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://hub;
                  proxy_http_version 1.1;
                  proxy_set_header Upgrade $http_upgrade;
                  proxy_set_header Connection $connection_upgrade;
                  proxy_set_header Host $host;
                  proxy_buffering off;
                  proxy_read_timeout 600s;
                  proxy_send_timeout 600s;
                }
              }
            }

            """);
    }
}
