namespace Hub.Testing;

/// <summary>Finds the tools the hosted topologies run (Debian's nginx, redis-server and redis-cli), with a clear error when one is missing.</summary>
public static class Executables
{
    // Debian installs nginx under /usr/sbin, which is not on a non-root PATH.
    private static readonly string[] ExtraDirectories = ["/usr/sbin", "/usr/bin", "/usr/local/bin"];

    /// <summary>Debian's nginx binary.</summary>
    /// <exception cref="InvalidOperationException">nginx is not installed.</exception>
    public static string Nginx() => Find("nginx");

    /// <summary>The redis-server binary.</summary>
    /// <exception cref="InvalidOperationException">redis-server is not installed.</exception>
    public static string RedisServer() => Find("redis-server");

    /// <summary>The redis-cli binary (it forms a Redis Cluster); Debian ships it with redis-server.</summary>
    /// <exception cref="InvalidOperationException">redis-cli is not installed.</exception>
    public static string RedisCli() => Find("redis-cli");

    private static string Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(ExtraDirectories)
            .Select(directory => Path.Combine(directory, name)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"{name} is not installed: run ./test.sh (it installs it) or apt-get install {name}.");
    }
}
