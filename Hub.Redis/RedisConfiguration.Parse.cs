using System.Globalization;

namespace Hub.Redis;

public sealed partial class RedisConfiguration
{
    /// <summary>
    /// Parses a StackExchange.Redis-style connection string:
    /// <c>host:port[,host2:port2],password=...,user=...,ssl=true,sslHost=...,defaultDatabase=N,connectTimeout=ms,syncTimeout=ms,abortConnect=false,name=...</c>.
    /// Keys are case-insensitive; a bare host uses port 6379. Also accepted: <c>asyncTimeout</c> (ms, same as syncTimeout),
    /// <c>keepAlive</c> (s), <c>connectRetry</c>, <c>allowAdmin</c>, and this client's <c>reconnectBaseDelay</c> and
    /// <c>reconnectMaxDelay</c> (ms).
    /// </summary>
    /// <param name="configuration">The connection string.</param>
    /// <returns>The parsed configuration.</returns>
    /// <exception cref="ArgumentException">An unknown key, a bad value, or no endpoint.</exception>
    public static RedisConfiguration Parse(string configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var result = new RedisConfiguration();
        foreach (var rawPart in configuration.Split(','))
        {
            var part = rawPart.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                result.EndPoints.Add(RedisEndPoint.Parse(part));
                continue;
            }

            // Split on the first '=' only: values (passwords) may contain '='.
            var key = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            result.Apply(key, value);
        }

        result.Validate();
        return result;
    }

    private void Apply(string key, string value)
    {
        switch (key.ToLowerInvariant())
        {
            case "password":
                Password = value.Length == 0 ? null : value;
                break;
            case "user":
                User = value.Length == 0 ? null : value;
                break;
            case "ssl":
                Ssl = ParseBool(key, value);
                break;
            case "sslhost":
                SslHost = value.Length == 0 ? null : value;
                break;
            case "defaultdatabase":
                DefaultDatabase = ParseInt(key, value, min: 0);
                break;
            case "name":
                ClientName = value.Length == 0 ? null : value;
                break;
            case "connecttimeout":
                ConnectTimeout = TimeSpan.FromMilliseconds(ParseInt(key, value, min: 1));
                break;
            case "synctimeout":
            case "asynctimeout":
                CommandTimeout = TimeSpan.FromMilliseconds(ParseInt(key, value, min: 1));
                break;
            case "abortconnect":
                AbortOnConnectFail = ParseBool(key, value);
                break;
            case "connectretry":
                ConnectRetry = ParseInt(key, value, min: 1);
                break;
            case "keepalive":
                KeepAlive = TimeSpan.FromSeconds(ParseInt(key, value, min: 0));
                break;
            case "allowadmin":
                AllowAdmin = ParseBool(key, value);
                break;
            case "reconnectbasedelay":
                ReconnectBaseDelay = TimeSpan.FromMilliseconds(ParseInt(key, value, min: 1));
                break;
            case "reconnectmaxdelay":
                ReconnectMaxDelay = TimeSpan.FromMilliseconds(ParseInt(key, value, min: 1));
                break;
            default:
                throw new ArgumentException($"Unknown Redis configuration key '{key}'.", "configuration");
        }
    }

    private static bool ParseBool(string key, string value) =>
        bool.TryParse(value, out var result)
            ? result
            : throw new ArgumentException($"Redis configuration key '{key}' needs true or false, not '{value}'.", "configuration");

    private static int ParseInt(string key, string value, int min) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) && result >= min
            ? result
            : throw new ArgumentException($"Redis configuration key '{key}' needs an integer of at least {min}, not '{value}'.", "configuration");
}
