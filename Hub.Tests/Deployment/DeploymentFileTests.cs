using System.Net;
using System.Net.Http.Json;
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
        ["HUB_DEV_TOKENS"] = null,
    };

    [Fact]
    public async Task The_compose_file_is_valid_and_runs_redis_two_hub_nodes_built_from_the_dockerfile_and_nginx()
    {
        var services = await ComposeAsync("config", "--services");
        Assert.Equal(["hub", "nginx", "redis"], services.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

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
        var noKeys = await ToolProcess.RunAsync("docker-compose", ["-f", Repository.Path("docker-compose.yml"), "config", "-q"],
            environment: new Dictionary<string, string?> { ["HUB_SIGNING_KEY"] = null, ["HUB_API_KEY"] = null });
        var noApiKey = await ToolProcess.RunAsync("docker-compose", ["-f", Repository.Path("docker-compose.yml"), "config", "-q"],
            environment: new Dictionary<string, string?> { ["HUB_SIGNING_KEY"] = "deployment-test-signing-key-0123456789abcdef", ["HUB_API_KEY"] = null });

        Assert.NotEqual(0, noKeys.ExitCode);
        Assert.Contains("HUB_SIGNING_KEY", noKeys.Error);
        Assert.NotEqual(0, noApiKey.ExitCode);
        Assert.Contains("HUB_API_KEY", noApiKey.Error);
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
