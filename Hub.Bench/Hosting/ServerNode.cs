using System.Globalization;

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
            dll,
            "--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"),

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

        var child = ChildProcess.Start(name, "dotnet", arguments, Path.GetDirectoryName(dll)!, Path.Combine(options.RunDirectory, $"{name}.log"), environment);
        try
        {
            await WaitReadyAsync(child, new Uri($"http://127.0.0.1:{port}/readyz"), cancellationToken);
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }

        return child;
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200, for at most 60 seconds.</summary>
    public static async Task WaitReadyAsync(ChildProcess? child, Uri url, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Poll.UntilAsync(async token =>
            {
                if (child is { HasExited: true })
                {
                    throw new InvalidOperationException($"{child.Name} exited while starting:{Environment.NewLine}{child.Tail()}");
                }

                try
                {
                    using var response = await http.GetAsync(url, token);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
                catch (TaskCanceledException) when (!token.IsCancellationRequested)
                {
                    return false;
                }
            }, $"{url} answers 200", TimeSpan.FromSeconds(60), cancellationToken);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}{Environment.NewLine}{child?.Tail()}");
        }
    }
}
