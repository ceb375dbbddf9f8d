using System.Diagnostics;
using System.Net.Sockets;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Cluster;

/// <summary>
/// Real nginx (Debian's package) in front of Hub nodes, with a generated config in a temp directory.
/// </summary>
public sealed class NginxProcess : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Process _process;

    private NginxProcess(string directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    /// <summary>Where clients connect.</summary>
    public int Port { get; }

    /// <summary>The base URL clients use.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Starts nginx balancing over <paramref name="upstreams"/>; sticky by client address, or round-robin.</summary>
    public static async Task<NginxProcess> StartAsync(IEnumerable<string> upstreams, bool sticky)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx is not installed: run ./test.sh (it installs it) or apt-get install nginx.");
        var directory = Directory.CreateTempSubdirectory("hub-nginx-").FullName;
        var port = HubServerProcess.FreePort();
        var servers = string.Join("\n", upstreams.Select(u => $"    server {u} max_fails=1 fail_timeout=2s;"));
        // Same essentials as deploy/nginx.conf: WebSocket upgrade, long timeouts, and stickiness only when asked.
        var config = $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            worker_processes 1;
            daemon off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path {{directory}}/body;
              proxy_temp_path {{directory}}/proxy;
              fastcgi_temp_path {{directory}}/fastcgi;
              uwsgi_temp_path {{directory}}/uwsgi;
              scgi_temp_path {{directory}}/scgi;
              map $http_upgrade $connection_upgrade { default upgrade; '' close; }
              upstream hub {
                {{(sticky ? "ip_hash;" : "")}}
            {{servers}}
              }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://hub;
                  proxy_http_version 1.1;
                  proxy_set_header Upgrade $http_upgrade;
                  proxy_set_header Connection $connection_upgrade;
                  proxy_set_header Host $host;
                  proxy_read_timeout 3600s;
                  proxy_buffering off;
                  proxy_connect_timeout 2s;
                  proxy_next_upstream error timeout http_502;
                }
              }
            }
            """;
        var configPath = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);

        var start = new ProcessStartInfo(nginx) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { "-p", directory, "-c", configPath })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        var result = new NginxProcess(directory, process, port);
        await Poll.UntilAsync(async token =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited: {await process.StandardError.ReadToEndAsync(token)} {result.ErrorLog()}");
            }
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, token);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, $"nginx listens on port {port}", TimeSpan.FromSeconds(10));
        return result;
    }

    private string ErrorLog()
    {
        var path = Path.Combine(_directory, "error.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
