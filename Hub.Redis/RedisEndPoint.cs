using System.Globalization;

namespace Hub.Redis;

/// <summary>A Redis server address: host name or IP address, and port.</summary>
/// <param name="Host">The host name or IP address (IPv6 without brackets).</param>
/// <param name="Port">The TCP port.</param>
public sealed record RedisEndPoint(string Host, int Port)
{
    /// <summary>The port Redis listens on by default.</summary>
    public const int DefaultPort = 6379;

    /// <summary>Parses <c>host</c>, <c>host:port</c>, <c>[ipv6]</c>, <c>[ipv6]:port</c> or a bare IPv6 address.</summary>
    /// <param name="text">The text to parse.</param>
    /// <exception cref="ArgumentException">The text is not an endpoint.</exception>
    public static RedisEndPoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        string host;
        string? port = null;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException($"Invalid Redis endpoint '{text}': missing ']'.", nameof(text));
            }

            host = value[1..close];
            var rest = value[(close + 1)..];
            if (rest.Length > 0)
            {
                port = rest.StartsWith(':') ? rest[1..] : throw new ArgumentException($"Invalid Redis endpoint '{text}'.", nameof(text));
            }
        }
        else
        {
            var colon = value.LastIndexOf(':');
            // More than one colon without brackets is a bare IPv6 address, which has no port.
            if (colon >= 0 && value.IndexOf(':', StringComparison.Ordinal) == colon)
            {
                host = value[..colon];
                port = value[(colon + 1)..];
            }
            else
            {
                host = value;
            }
        }

        if (host.Length == 0)
        {
            throw new ArgumentException($"Invalid Redis endpoint '{text}': the host is empty.", nameof(text));
        }

        var portNumber = DefaultPort;
        if (port is not null &&
            (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out portNumber) || portNumber is < 1 or > 65535))
        {
            throw new ArgumentException($"Invalid Redis endpoint '{text}': '{port}' is not a port number.", nameof(text));
        }

        return new RedisEndPoint(host, portNumber);
    }

    /// <summary>The endpoint as <c>host:port</c> (<c>[host]:port</c> for IPv6).</summary>
    public override string ToString() =>
        Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
