using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Hub.Client.Protocol;

/// <summary>Settings of one <see cref="HubProtocolConnection"/>.</summary>
public sealed class HubProtocolConnectionOptions
{
    /// <summary>
    /// Supplies the bearer token, asked once per connection attempt. It is sent as <c>Authorization: Bearer</c> on
    /// negotiation and as the <c>access_token</c> query parameter (and header) on the WebSocket request.
    /// Default: <c>null</c>, no token.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; set; }

    /// <summary>
    /// When <c>true</c>, the WebSocket is opened directly without the <c>/negotiate</c> request
    /// (the server must then accept WebSockets without a connection token). Default: <c>false</c>.
    /// </summary>
    public bool SkipNegotiation { get; set; }

    /// <summary>
    /// How many times to negotiate when the WebSocket is refused with 404 right after negotiating: the node it reached
    /// does not know the negotiated connection, as happens behind a load balancer whose stickiness briefly breaks
    /// (a node rejoining behind <c>ip_hash</c>). Default: 3; 1 turns retrying off.
    /// </summary>
    public int NegotiateAttempts { get; set; } = 3;

    /// <summary>A ping is sent when nothing else was sent for this long. Default: 15 seconds (the server's expectation is a message at least every 30 s).</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The connection is closed with a timeout error when nothing was received for this long. Default: 30 seconds (twice the server's default ping interval).</summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening the WebSocket and the protocol handshake may take together. Default: 15 seconds.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The largest incoming message accepted, in bytes; a larger one closes the connection with an error rather than
    /// growing the buffer without bound. Default: 1 MiB.
    /// </summary>
    public int MaximumReceiveMessageSize { get; set; } = 1024 * 1024;

    /// <summary>Extra query parameters added to the negotiate and WebSocket URLs. Default: none.</summary>
    public IReadOnlyDictionary<string, string>? QueryParameters { get; set; }

    /// <summary>The clock for keep-alive, server timeout and handshake timeout. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the connection logs; <c>null</c> for no logging. Default: <c>null</c>.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Serializer settings for arguments and results. Default: <see cref="JsonSerializerDefaults.Web"/> (camelCase,
    /// case-insensitive), which matches the ASP.NET Core SignalR server's JSON protocol defaults.
    /// </summary>
    public JsonSerializerOptions? SerializerOptions { get; set; }
}
