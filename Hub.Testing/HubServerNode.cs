using System.Globalization;

namespace Hub.Testing;

/// <summary>Starts one Hub.Server process (<c>dotnet Hub.Server.dll</c>) on a loopback port and waits until it reports ready.</summary>
public static class HubServerNode
{
    /// <summary>Starts the node and waits (at most 60 s) until <c>/readyz</c> answers 200.</summary>
    /// <param name="name">A label for messages (and the process list).</param>
    /// <param name="serverDll">The built <c>Hub.Server.dll</c>.</param>
    /// <param name="port">The loopback port it listens on.</param>
    /// <param name="arguments">Configuration on the command line (<c>--Key=value</c>).</param>
    /// <param name="environment">Environment variables for the process.</param>
    /// <param name="workingDirectory">Where the process starts.</param>
    /// <param name="logPath">Where its output goes.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<ChildProcess> StartAsync(string name, string serverDll, int port, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment, string workingDirectory, string logPath, CancellationToken cancellationToken = default)
    {
        var dll = Path.GetFullPath(serverDll);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The server is not built: {dll} is missing.", dll);
        }

        var child = ChildProcess.Start(name, "dotnet", [dll, "--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"), .. arguments],
            workingDirectory, logPath, environment);
        try
        {
            await WaitReadyAsync(child, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/readyz")), cancellationToken);
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200, for at most 60 seconds; fails at once if <paramref name="child"/> exits.</summary>
    public static async Task WaitReadyAsync(ChildProcess? child, Uri url, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Poll.UntilAsync(async token =>
            {
                if (child is { HasExited: true })
                {
                    throw new InvalidOperationException($"{child.Name} exited with {child.ExitCode} while starting:{Environment.NewLine}{child.Tail(40)}");
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
            throw new TimeoutException($"{ex.Message}{Environment.NewLine}{child?.Tail(40)}");
        }
    }
}
