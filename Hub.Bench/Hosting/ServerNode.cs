namespace Hub.Bench.Hosting;

/// <summary>Starts one Hub.Server node from the built dll and waits until it reports ready.</summary>
public static class ServerNode
{
    /// <summary>Starts a node on <paramref name="port"/>; with <paramref name="redisConfiguration"/> it runs in cluster mode.</summary>
    public static async Task<ChildProcess> StartAsync(string name, int port, string? redisConfiguration, HostingOptions options, CancellationToken cancellationToken)
    {
        var dll = Path.GetFullPath(options.ServerDll);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The server is not built: {dll} is missing. Run `dotnet build Hub.Server -c Release`, or pass --server-dll.", dll);
        }

        List<string> arguments =
        [
            // The default 20 sends/s per connection would throttle every publisher; the benchmark measures the server, not the limiter.
            "--Limits:SendsPerSecond=1000000",
            "--Limits:SendBurst=1000000",
            $"--Auth:SigningKey={options.SigningKey}",
            // The load generator signs its users in through POST /api/token (off by default outside Development).
            "--Auth:DevTokens=true",

            // Per-connect Information logs (resume) would cost CPU the server does not spend in production with JSON logs shipped off-box.
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.AspNetCore=Warning",
        ];
        if (redisConfiguration is not null)
        {
            arguments.Add($"--Redis:Configuration={redisConfiguration}");
        }

        arguments.AddRange(options.ExtraServerArguments);
        var environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_NOLOGO"] = "1" };
        foreach (var (key, value) in options.ServerEnvironment)
        {
            environment[key] = value;
        }

        return await HubServerNode.StartAsync(name, dll, port, arguments, environment, Path.GetDirectoryName(dll)!,
            Path.Combine(options.RunDirectory, $"{name}.log"), cancellationToken);
    }
}
