using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Hub.Contracts;
using Hub.Tests.Cluster;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Deployment;

/// <summary>
/// The files operators deploy with, checked by the tools that read them: <c>docker-compose.yml</c> by docker-compose
/// (no Docker engine needed for <c>config</c>), its hub environment by the real server, <c>deploy/nginx.conf</c> by
/// nginx.
/// </summary>
public sealed class DeploymentFileTests
{
    // What an operator puts in the environment or .env: compose ships no secret of its own.
    private static readonly Dictionary<string, string?> Secrets = new()
    {
        ["HUB_SIGNING_KEY"] = "deployment-test-signing-key-0123456789abcdef",
        ["HUB_API_KEY"] = "deployment-test-api-key",
        ["HUB_GRAFANA_PASSWORD"] = "deployment-test-grafana-password",
        ["HUB_DEV_TOKENS"] = null,
    };

    [Fact]
    public async Task The_compose_file_is_valid_and_runs_redis_two_hub_nodes_built_from_the_dockerfile_nginx_and_monitoring()
    {
        var services = await ComposeAsync("config", "--services");
        Assert.Equal(["grafana", "hub", "nginx", "prometheus", "redis"], services.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        var config = await ComposeAsync("config");
        Assert.Contains("dockerfile: Hub.Server/Dockerfile", config);
        Assert.True(File.Exists(Repository.Path("Hub.Server", "Dockerfile")), "Hub.Server/Dockerfile exists");
        Assert.Contains("replicas: 2", config);
        Assert.Contains(Repository.Path("deploy", "nginx.conf") + ":/etc/nginx/nginx.conf:ro", config);
        Assert.Equal("redis:6379,abortConnect=false", HubEnvironment(config)["Redis__Configuration"]);
    }

    [Fact]
    public async Task The_compose_file_stops_with_a_message_naming_each_secret_that_is_missing()
    {
        foreach (var missing in new[] { "HUB_SIGNING_KEY", "HUB_API_KEY", "HUB_GRAFANA_PASSWORD" })
        {
            var result = await ToolProcess.RunAsync("docker-compose", ["-f", Repository.Path("docker-compose.yml"), "config", "-q"],
                environment: new Dictionary<string, string?>(Secrets) { [missing] = null });

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains(missing, result.Error);
        }
    }

    [Fact]
    public async Task The_hub_nodes_environment_from_the_compose_file_starts_the_server_which_waits_for_redis_not_ready()
    {
        // Environment variables map to configuration keys with "__" as the separator, as ASP.NET Core reads them.
        var settings = HubEnvironment(await ComposeAsync("config"))
            .ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value);
        await using var node = await HubTestHost.StartAsync(settings);

        // Options validation passed (the node runs); "redis" does not resolve here, so the node is alive, not ready.
        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await node.Http.GetAsync("readyz")).StatusCode);
        // No one can mint a token for any user: dev tokens are off unless the operator turns them on.
        Assert.Equal("false", settings["Auth:DevTokens"]);
        var token = await node.Http.PostAsJsonAsync(HubPaths.Token.TrimStart('/'), new TokenRequest("alice"));
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
    }

    [Fact]
    public async Task The_nginx_config_passes_nginx_own_test()
    {
        // nginx resolves upstream names while testing; Docker's DNS name "hub" is pointed at loopback for the test.
        var directory = Directory.CreateTempSubdirectory("hub-nginx-test-").FullName;
        try
        {
            var text = await File.ReadAllTextAsync(Repository.Path("deploy", "nginx.conf"));
            Assert.Contains("server hub:8080", text);
            var config = Path.Combine(directory, "nginx.conf");
            await File.WriteAllTextAsync(config, text.Replace("server hub:8080", "server 127.0.0.1:8080", StringComparison.Ordinal));

            var result = await ToolProcess.RunAsync(Executables.Nginx(), ["-t", "-p", directory + "/", "-c", config, "-e", "stderr"]);

            Assert.True(result.ExitCode == 0, result.Error);
            Assert.Contains("test is successful", result.Error);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Prometheus_scrapes_every_hub_replica_on_the_port_the_image_listens_on_and_only_loopback_reaches_the_monitoring()
    {
        var config = await ComposeAsync("config");
        var prometheus = await File.ReadAllTextAsync(Repository.Path("deploy", "prometheus.yml"));
        var dockerfile = await File.ReadAllTextAsync(Repository.Path("Hub.Server", "Dockerfile"));

        Assert.Equal("true", HubEnvironment(config)["Metrics__Prometheus__Enabled"]);
        Assert.Contains(Repository.Path("deploy", "prometheus.yml") + ":/etc/prometheus/prometheus.yml:ro", config);
        // Docker's DNS answers the service name with every replica, so scaling needs no change in the scrape config.
        Assert.Matches(@"names: \[hub\]\s+type: A\s+port: 8080", prometheus);
        Assert.Contains("ASPNETCORE_URLS=http://0.0.0.0:8080", dockerfile);
        Assert.Contains(Repository.Path("deploy", "grafana", "dashboards") + ":/var/lib/grafana/dashboards:ro", config);
        Assert.Contains("GF_SECURITY_ADMIN_PASSWORD: deployment-test-grafana-password", config);
        Assert.Contains("GF_AUTH_ANONYMOUS_ENABLED: \"false\"", config);
        // Only nginx faces the network; Prometheus and Grafana are for whoever is on the host.
        var published = Regex.Matches(config, @"^    - (\S+/tcp)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).Order().ToArray();
        Assert.Equal(["127.0.0.1:3000:3000/tcp", "127.0.0.1:9090:9090/tcp"], published);
        Assert.Equal(["8080"], Regex.Matches(config, @"^    - published: (\d+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task The_deployed_nginx_passes_hub_traffic_on_but_refuses_the_metrics_endpoint_from_outside()
    {
        await using var node = await HubTestHost.StartAsync(new Dictionary<string, string?> { ["Metrics:Prometheus:Enabled"] = "true" });
        var port = FreePorts.Next();
        await using var nginx = await NginxProcess.StartAsync(await LocalNginxConfigAsync(port, node.Http.BaseAddress!), port);
        using var outside = new HttpClient { BaseAddress = nginx.BaseAddress };

        Assert.Equal(HttpStatusCode.OK, (await node.Http.GetAsync("metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await outside.GetAsync("healthz")).StatusCode);
        foreach (var path in new[] { "metrics", "metrics/", "METRICS", "metrics?x=1" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await outside.GetAsync(path)).StatusCode);
        }
    }

    // deploy/nginx.conf as it ships, made to run here: on loopback ports, with its files under nginx's prefix.
    private static async Task<string> LocalNginxConfigAsync(int port, Uri node)
    {
        var text = await File.ReadAllTextAsync(Repository.Path("deploy", "nginx.conf"));
        var user = Environment.UserName == "root" ? "user root;\n" : "";
        return Replace(text,
            ("worker_processes auto;", $"{user}worker_processes 1;\ndaemon off;\npid nginx.pid;\nerror_log error.log warn;"),
            ("http {", "http {\n  access_log off;\n  client_body_temp_path body;\n  proxy_temp_path proxy;\n  fastcgi_temp_path fastcgi;\n  uwsgi_temp_path uwsgi;\n  scgi_temp_path scgi;"),
            ("server hub:8080", $"server 127.0.0.1:{node.Port}"),
            ("listen 80;", $"listen 127.0.0.1:{port};"));

        static string Replace(string text, params (string From, string To)[] edits)
        {
            foreach (var (from, to) in edits)
            {
                Assert.Contains(from, text);
                text = text.Replace(from, to, StringComparison.Ordinal);
            }
            return text;
        }
    }

    private static async Task<string> ComposeAsync(params string[] args)
    {
        var result = await ToolProcess.RunAsync("docker-compose", ["-f", Repository.Path("docker-compose.yml"), .. args], environment: Secrets);
        Assert.True(result.ExitCode == 0, $"docker-compose {string.Join(' ', args)} failed: {result.Error}");
        return result.Output;
    }

    /// <summary>The <c>environment</c> of the <c>hub</c> service in <c>docker-compose config</c>'s canonical YAML.</summary>
    private static Dictionary<string, string> HubEnvironment(string config)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = config.Split('\n');
        var hub = Array.IndexOf(lines, "  hub:");
        Assert.True(hub >= 0, "the hub service is in the config");
        var start = Array.FindIndex(lines, hub, line => line == "    environment:");
        Assert.True(start > hub, "the hub service has an environment");
        foreach (var line in lines.Skip(start + 1).TakeWhile(line => line.StartsWith("      ", StringComparison.Ordinal)))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            environment[line[..colon].Trim()] = line[(colon + 1)..].Trim().Trim('"');
        }
        return environment;
    }
}
