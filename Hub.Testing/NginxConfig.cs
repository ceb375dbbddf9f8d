using System.Globalization;

namespace Hub.Testing;

/// <summary>
/// The nginx config Hub runs behind on one machine: in the benchmark's cluster mode and in the cluster tests. The
/// same essentials as <c>deploy/nginx.conf</c>: WebSocket upgrade headers, no buffering, long read timeouts, a dead
/// node skipped quickly, and stickiness by client address only when asked (clients that negotiate need it; on one
/// loopback address it puts every client on one node, so WebSocket-only clients use round-robin).
/// </summary>
/// <param name="Port">Where nginx listens on 127.0.0.1.</param>
/// <param name="Upstreams">The hub nodes, <c>host:port</c>.</param>
public sealed record NginxConfig(int Port, IReadOnlyList<string> Upstreams)
{
    /// <summary><c>ip_hash</c> stickiness instead of round-robin.</summary>
    public bool Sticky { get; init; }

    /// <summary>nginx worker processes.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Connections per worker (each proxied client takes two).</summary>
    public int WorkerConnections { get; init; } = 19000;

    /// <summary>
    /// The config text. Every path in it is relative to the prefix nginx is started with (<c>-p DIR/</c>), where its
    /// pid, <c>error.log</c> and temp directories go; it runs in the foreground (<c>daemon off</c>).
    /// </summary>
    public string Render()
    {
        var servers = string.Concat(Upstreams.Select(u => $"    server {u} max_fails=1 fail_timeout=2s;\n"));
        // Running as root, nginx would switch its workers to 'nobody', who cannot write the temp dirs under the prefix.
        var user = Environment.UserName == "root" ? "user root;\n" : "";
        var sticky = Sticky ? "    ip_hash;\n" : "";
        return string.Create(CultureInfo.InvariantCulture, $$"""
            {{user}}worker_processes {{Workers}};
            worker_rlimit_nofile 20000;
            daemon off;
            pid nginx.pid;
            error_log error.log warn;
            events { worker_connections {{WorkerConnections}}; }
            http {
              access_log off;
              client_body_temp_path body;
              proxy_temp_path proxy;
              fastcgi_temp_path fastcgi;
              uwsgi_temp_path uwsgi;
              scgi_temp_path scgi;
              map $http_upgrade $connection_upgrade { default upgrade; '' close; }
              upstream hub {
            {{sticky}}{{servers}}  }
              server {
                listen 127.0.0.1:{{Port}};
                location / {
                  proxy_pass http://hub;
                  proxy_http_version 1.1;
                  proxy_set_header Upgrade $http_upgrade;
                  proxy_set_header Connection $connection_upgrade;
                  proxy_set_header Host $host;
                  proxy_buffering off;
                  proxy_read_timeout 3600s;
                  proxy_send_timeout 3600s;
                  proxy_connect_timeout 2s;
                  proxy_next_upstream error timeout http_502 http_503;
                }
              }
            }

            """);
    }
}
