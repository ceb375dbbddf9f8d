using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// The one place that turns <see cref="RedisOptions"/> into StackExchange.Redis settings, for the stores' connections
/// and the backplane's alike, so every connection of a node behaves the same while Redis is down or coming back.
/// </summary>
public static class RedisConnectionConfiguration
{
    /// <summary>
    /// Parses <see cref="RedisOptions.Configuration"/> (StackExchange.Redis's format; an unknown option throws
    /// <see cref="ArgumentException"/> naming it) and adds what every Hub connection needs.
    /// </summary>
    /// <param name="options">The node's Redis options.</param>
    /// <returns>Fresh settings: callers may change them (the backplane adds its channel prefix).</returns>
    public static ConfigurationOptions Create(RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = ConfigurationOptions.Parse(options.Configuration ?? string.Empty);
        // The node starts while Redis is down (it reports not ready), and callers learn of an outage at once instead
        // of waiting in a backlog: a send fails with "Store unavailable, retry." rather than hanging.
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        // Try again at every heartbeat (1 s), so the node is back within about a second of Redis; the default
        // exponential policy could wait many seconds after a longer outage.
        configuration.ReconnectRetryPolicy = new LinearRetry(1000);
        // A frozen Redis keeps its socket open: without a short timeout a caller would wait StackExchange.Redis's 5 s.
        configuration.AsyncTimeout = configuration.SyncTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalMilliseconds);
        if (!string.IsNullOrWhiteSpace(options.TrustedCaCertificate))
        {
            configuration.TrustIssuer(options.TrustedCaCertificate);
        }
        return configuration;
    }

    /// <summary>Why <paramref name="options"/> cannot make a connection (an unknown option, an unreadable CA file), or null.</summary>
    /// <param name="options">The node's Redis options (cluster mode).</param>
    public static string? Validate(RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            var configuration = Create(options);
            return configuration.EndPoints.Count == 0 ? "Redis:Configuration names no endpoint (host:port)." : null;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return $"Redis:Configuration or Redis:TrustedCaCertificate is not usable: {ex.Message}";
        }
    }
}
