using System.Net.Security;

namespace Hub.Redis;

/// <summary>
/// How to connect to Redis. Build one in code or with <see cref="Parse"/> from a
/// StackExchange.Redis-style connection string. <see cref="RedisClient"/> takes a copy at connect time.
/// </summary>
public sealed partial class RedisConfiguration
{
    /// <summary>The servers to try, in order (no cluster support: the first that accepts is used).</summary>
    public IList<RedisEndPoint> EndPoints { get; } = new List<RedisEndPoint>();

    /// <summary>The password for AUTH, or null for none (<c>password=</c>).</summary>
    public string? Password { get; set; }

    /// <summary>The ACL user name for <c>AUTH user password</c>, or null for the default user (<c>user=</c>).</summary>
    public string? User { get; set; }

    /// <summary>Whether to use TLS (<c>ssl=</c>).</summary>
    public bool Ssl { get; set; }

    /// <summary>The host name to validate the server certificate against; defaults to the endpoint's host (<c>sslHost=</c>).</summary>
    public string? SslHost { get; set; }

    /// <summary>Optional certificate validation override (code only, e.g. for a private CA); null uses the system's validation.</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; set; }

    /// <summary>The database to SELECT on connect, or null for 0 (<c>defaultDatabase=</c>).</summary>
    public int? DefaultDatabase { get; set; }

    /// <summary>The name sent with CLIENT SETNAME, or null to send none (<c>name=</c>).</summary>
    public string? ClientName { get; set; }

    /// <summary>How long one connection attempt (TCP, TLS and handshake) may take (<c>connectTimeout=</c>, ms). Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a command may wait for its reply (<c>syncTimeout=</c> or <c>asyncTimeout=</c>, ms). Default 5 s.
    /// <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether <see cref="RedisClient.ConnectAsync(RedisConfiguration, Microsoft.Extensions.Logging.ILoggerFactory?, TimeProvider?, CancellationToken)"/>
    /// throws when the first connection fails (<c>abortConnect=</c>). Default true. When false it returns
    /// a disconnected client that keeps retrying in the background.
    /// </summary>
    public bool AbortOnConnectFail { get; set; } = true;

    /// <summary>How many times the initial connect cycles through the endpoints before giving up (<c>connectRetry=</c>). Default 1.</summary>
    public int ConnectRetry { get; set; } = 1;

    /// <summary>
    /// How often an idle connection is checked with PING (<c>keepAlive=</c>, seconds). A PING without a reply within
    /// <see cref="CommandTimeout"/> fails the connection, which detects half-open sockets. Default 60 s; zero disables.
    /// </summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The first reconnect back-off delay; it doubles per failed attempt (<c>reconnectBaseDelay=</c>, ms). Default 100 ms.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The cap of the reconnect back-off delay (<c>reconnectMaxDelay=</c>, ms). Default 5 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Accepted for StackExchange.Redis compatibility (<c>allowAdmin=</c>); this client does not restrict admin commands.</summary>
    public bool AllowAdmin { get; set; }

    /// <summary>A copy, so later changes to this instance do not affect a running client.</summary>
    public RedisConfiguration Clone()
    {
        var copy = new RedisConfiguration
        {
            Password = Password,
            User = User,
            Ssl = Ssl,
            SslHost = SslHost,
            CertificateValidation = CertificateValidation,
            DefaultDatabase = DefaultDatabase,
            ClientName = ClientName,
            ConnectTimeout = ConnectTimeout,
            CommandTimeout = CommandTimeout,
            AbortOnConnectFail = AbortOnConnectFail,
            ConnectRetry = ConnectRetry,
            KeepAlive = KeepAlive,
            ReconnectBaseDelay = ReconnectBaseDelay,
            ReconnectMaxDelay = ReconnectMaxDelay,
            AllowAdmin = AllowAdmin,
        };
        foreach (var endPoint in EndPoints)
        {
            copy.EndPoints.Add(endPoint);
        }

        return copy;
    }

    /// <summary>Checks that the configuration can be used.</summary>
    /// <exception cref="ArgumentException">Something is missing or out of range.</exception>
    public void Validate()
    {
        if (EndPoints.Count == 0)
        {
            throw new ArgumentException("The Redis configuration has no endpoint.");
        }

        if (DefaultDatabase is < 0)
        {
            throw new ArgumentException("defaultDatabase must not be negative.");
        }

        if (User is not null && Password is null)
        {
            throw new ArgumentException("A Redis user needs a password.");
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("connectTimeout must be positive.");
        }

        if (CommandTimeout <= TimeSpan.Zero && CommandTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("syncTimeout must be positive.");
        }

        if (ConnectRetry < 1)
        {
            throw new ArgumentException("connectRetry must be at least 1.");
        }

        if (ReconnectBaseDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectBaseDelay)
        {
            throw new ArgumentException("reconnectBaseDelay must be positive and not above reconnectMaxDelay.");
        }
    }

    /// <summary>The configuration as a connection string, with the password hidden unless asked for.</summary>
    /// <param name="includePassword">Whether to include the real password (never do this in logs).</param>
    public string ToString(bool includePassword)
    {
        var parts = new List<string>(EndPoints.Select(e => e.ToString()));
        if (User is not null)
        {
            parts.Add("user=" + User);
        }

        if (Password is not null)
        {
            parts.Add("password=" + (includePassword ? Password : "*****"));
        }

        if (Ssl)
        {
            parts.Add("ssl=true");
        }

        if (SslHost is not null)
        {
            parts.Add("sslHost=" + SslHost);
        }

        if (DefaultDatabase is { } db)
        {
            parts.Add("defaultDatabase=" + db);
        }

        if (ClientName is not null)
        {
            parts.Add("name=" + ClientName);
        }

        parts.Add("connectTimeout=" + (long)ConnectTimeout.TotalMilliseconds);
        parts.Add("syncTimeout=" + (long)CommandTimeout.TotalMilliseconds);
        parts.Add("abortConnect=" + (AbortOnConnectFail ? "true" : "false"));
        return string.Join(',', parts);
    }

    /// <summary>The configuration as a connection string, password hidden (safe to log).</summary>
    public override string ToString() => ToString(includePassword: false);
}
