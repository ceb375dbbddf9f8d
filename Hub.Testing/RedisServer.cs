using System.Globalization;

namespace Hub.Testing;

/// <summary>Starts a throw-away redis-server: loopback only, no snapshots, an append-only file only when asked.</summary>
public static class RedisServer
{
    /// <summary>Starts redis-server on <paramref name="port"/> and waits until it accepts connections.</summary>
    /// <param name="port">The loopback port.</param>
    /// <param name="directory">Its working directory (and where an append-only file goes).</param>
    /// <param name="logPath">Where its output goes.</param>
    /// <param name="password">The <c>requirepass</c> password, or null for none.</param>
    /// <param name="persistent">Keep an append-only file fsynced on every write, so a restart keeps the data.</param>
    /// <param name="moreArguments">More redis-server arguments (cluster mode); a later one overrides an earlier one.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<ChildProcess> StartAsync(int port, string directory, string logPath, string? password = null, bool persistent = false,
        IEnumerable<string>? moreArguments = null, CancellationToken cancellationToken = default)
    {
        List<string> arguments =
        [
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--protected-mode", "yes",
            "--save", "", "--appendonly", persistent ? "yes" : "no", "--appendfsync", "always", "--dir", directory,
            "--daemonize", "no", "--loglevel", "warning",
        ];
        if (password is not null)
        {
            arguments.AddRange(["--requirepass", password]);
        }
        arguments.AddRange(moreArguments ?? []);
        var child = ChildProcess.Start("redis", Executables.RedisServer(), arguments, directory, logPath);
        try
        {
            await Poll.UntilAsync(async token => child.HasExited
                ? throw new InvalidOperationException($"redis-server exited on port {port}:{Environment.NewLine}{child.Tail()}")
                : await Tcp.AcceptsAsync(port, token), $"redis-server accepts connections on port {port}", TimeSpan.FromSeconds(20), cancellationToken);
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }
}
