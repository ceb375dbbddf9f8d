namespace Hub.Testing;

/// <summary>Starts nginx in the foreground with an <see cref="NginxConfig"/>, in a directory of its own (its prefix).</summary>
public static class NginxServer
{
    /// <summary>Writes the config into <paramref name="directory"/>, starts nginx there and waits until it listens.</summary>
    /// <param name="config">What nginx serves; it listens on <see cref="NginxConfig.Port"/>.</param>
    /// <param name="directory">nginx's prefix: its config, pid, <c>error.log</c> and temp directories go here.</param>
    /// <param name="logPath">Where nginx's own output goes.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<ChildProcess> StartAsync(NginxConfig config, string directory, string logPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        return StartAsync(config.Render(), config.Port, directory, logPath, cancellationToken);
    }

    /// <summary>The same with a whole config of the caller's, which listens on 127.0.0.1:<paramref name="port"/>.</summary>
    /// <param name="config">The config text (paths in it are relative to <paramref name="directory"/>).</param>
    /// <param name="port">The port it listens on, waited for.</param>
    /// <param name="directory">nginx's prefix.</param>
    /// <param name="logPath">Where nginx's own output goes.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<ChildProcess> StartAsync(string config, int port, string directory, string logPath, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config, cancellationToken);
        var child = ChildProcess.Start("nginx", Executables.Nginx(), ["-p", directory + "/", "-c", configPath], directory, logPath);
        try
        {
            await Poll.UntilAsync(async token => child.HasExited
                ? throw new InvalidOperationException($"nginx exited: {child.Tail()} {ErrorLog(directory)}")
                : await Tcp.AcceptsAsync(port, token), $"nginx listens on port {port}", TimeSpan.FromSeconds(10), cancellationToken);
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    private static string ErrorLog(string directory)
    {
        var path = Path.Combine(directory, "error.log");
        return File.Exists(path) ? File.ReadAllText(path) : "";
    }
}
