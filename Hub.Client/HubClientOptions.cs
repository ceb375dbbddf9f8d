using System.Net.WebSockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Hub.Contracts;
using Microsoft.Extensions.Logging;

namespace Hub.Client;

/// <summary>Settings of a <see cref="ChatClient"/> or <see cref="NotificationClient"/>.</summary>
public sealed class HubClientOptions
{
    /// <summary>
    /// Supplies the bearer token; asked on every connect and reconnect, so it can refresh an expiring token.
    /// Default: <c>null</c>, no token.
    /// </summary>
    public Func<CancellationToken, ValueTask<string?>>? AccessTokenProvider { get; set; }

    /// <summary>
    /// The transports the client may use. Default: <see cref="HubTransports.WebSockets"/> alone, so a connection
    /// never silently degrades to a costlier transport and a refused WebSocket is reported (and, after a 404,
    /// negotiated again) rather than hidden behind a fallback; <see cref="HubTransports.All"/> gives the official
    /// client's fallback (WebSockets, then Server-Sent Events, then long polling) for networks that block WebSockets.
    /// </summary>
    public HubTransports Transports { get; set; } = HubTransports.WebSockets;

    /// <summary>The hub protocol. Default: <see cref="HubProtocolFormat.Json"/>.</summary>
    public HubProtocolFormat Protocol { get; set; } = HubProtocolFormat.Json;

    /// <summary>
    /// When <c>true</c>, the WebSocket is opened without the <c>/negotiate</c> request; requires
    /// <see cref="Transports"/> to be <see cref="HubTransports.WebSockets"/> alone. Default: <c>false</c>.
    /// </summary>
    public bool SkipNegotiation { get; set; }

    /// <summary>
    /// How many times to negotiate when the WebSocket is refused with 404 right after negotiating (the node reached
    /// does not know the negotiated connection: stickiness broke). Default: 3; 1 turns retrying off.
    /// </summary>
    public int NegotiateAttempts { get; set; } = 3;

    /// <summary>
    /// The server's base URL, e.g. <c>https://chat.example.com</c>, for the clients that
    /// <c>AddChatClient</c> / <c>AddNotificationClient</c> register (required there). The constructors take the URL as a
    /// parameter and ignore this. Default: <c>null</c>.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// The user this client acts for, e.g. <c>alice</c>, as the application knows it: exposed as
    /// <see cref="HubClientBase.User"/> (for logs and for a token provider that asks a token for this user). The server
    /// takes the user from the token, never from this. Default: <c>null</c>.
    /// </summary>
    public string? User { get; set; }

    /// <summary>
    /// Names this client's device to the server, sent as <c>device=</c> on every connect and reconnect. The server keeps
    /// delivery state per user and device: every device of a user gets every message, and what one device acknowledges
    /// is still delivered to the others. Keep it stable across restarts, so a restarted process resumes where it left
    /// off; a device id the server has not seen (or has forgotten, <c>Delivery:DeviceRetention</c>) starts at the
    /// present and receives nothing stored before it connected. 1-64 characters of letters, digits, <c>_ . -</c>
    /// (<see cref="Contracts.HubNames"/>). <c>null</c> or empty names none: the connection is its user's one anonymous
    /// device, shared by every client that names none. Two processes that must each get every message (two instances of
    /// one service on one machine) need different ids.
    /// Default: <see cref="DefaultDeviceId"/>, derived from the machine, the OS user and the program.
    /// </summary>
    public string? DeviceId { get; set; } = DefaultDeviceId;

    /// <summary>
    /// A device id derived from what the process can know without storing anything: a hash of the machine name, the OS
    /// user and the entry assembly's name, e.g. <c>net-3f9c0a17b2d4e6f8a1c3b5d7</c>. The same program run by the same
    /// OS user on the same machine gets the same id after a restart, so it resumes where it left off; another program,
    /// user or machine is another device. Nothing identifying is sent: only the hash.
    /// </summary>
    public static string DefaultDeviceId { get; } = DeriveDeviceId(
        Environment.MachineName, Environment.UserName, Assembly.GetEntryAssembly()?.GetName().Name ?? "");

    /// <summary>
    /// HTTP headers sent with every request: negotiation, the WebSocket upgrade, Server-Sent Events and long polling
    /// (from configuration: <c>Headers:Name=value</c>). Default: none.
    /// </summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Wraps or replaces the HTTP handler of the HTTP requests (negotiation, Server-Sent Events, long polling), e.g. to
    /// add a <see cref="DelegatingHandler"/> or trust a test certificate; it receives the default handler. As in the
    /// official client, the WebSocket upgrade does not go through it: use <see cref="WebSocketConfiguration"/> for that.
    /// Default: <c>null</c>, the default handler.
    /// </summary>
    public Func<HttpMessageHandler, HttpMessageHandler>? HttpMessageHandlerFactory { get; set; }

    /// <summary>
    /// Changes the options of each WebSocket before it connects (proxy, client certificates, remote certificate
    /// validation, keep-alive, extra headers). Runs after <see cref="Headers"/> and the bearer token were set.
    /// Default: <c>null</c>.
    /// </summary>
    public Action<ClientWebSocketOptions>? WebSocketConfiguration { get; set; }

    /// <summary>Delay before the first reconnect attempt; later attempts double it. Default: 500 ms.</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay between reconnect attempts. Default: 30 seconds.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Random spread of each reconnect delay, as a fraction of it: 0.2 means ±20 %, so many clients dropped at
    /// once do not come back in lockstep. Default: 0.2.
    /// </summary>
    public double ReconnectJitter { get; set; } = 0.2;

    /// <summary>
    /// How many reconnect attempts are made after a drop before giving up (then <see cref="HubClientBase.Closed"/>
    /// is raised); <c>null</c> retries forever. Default: <c>null</c>.
    /// </summary>
    public int? MaxReconnectAttempts { get; set; }

    /// <summary>A ping is sent when nothing else was sent for this long. Default: 15 seconds.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The connection is considered lost when nothing was received for this long. Default: 30 seconds.</summary>
    public TimeSpan ServerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one connect may take in all: asking for the token, negotiating, opening the transport and the protocol
    /// handshake; past it the connect fails with <see cref="HubConnectionException"/>. Default: 15 seconds.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long <see cref="ChatClient.SendAsync"/> keeps sending a message again, with its idempotency key, after it
    /// failed for a reason that is about now rather than about the message: the connection closed or was lost (a node
    /// restarting or dying), the client is reconnecting, or the store was unavailable. Each resend waits for the
    /// connection to be back (and for the error's <see cref="HubInvocationException.RetryAfter"/>); the server stores a
    /// key once, so a resend after a lost answer returns the first result. When the window ends the last error is thrown;
    /// errors about the message itself (<c>not_member</c>, <c>too_large</c>, ...) are thrown at once.
    /// <see cref="TimeSpan.Zero"/> turns resending off. Default: 30 seconds.
    /// </summary>
    public TimeSpan SendRetryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Acknowledgements are sent as soon as this many are queued. Default: 100.</summary>
    public int AckBatchSize { get; set; } = 100;

    /// <summary>Queued acknowledgements are sent at the latest this long after the first of them was queued. Default: 200 ms.</summary>
    public TimeSpan AckInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Upper bound, in bytes, of one <c>Ack</c> invocation message; a batch is split so each stays below it.
    /// The server's SignalR <c>MaximumReceiveMessageSize</c> defaults to 32 KiB, and a bigger message would make it
    /// close the connection. Default: 16 KiB.
    /// </summary>
    public int MaxAckMessageBytes { get; set; } = 16 * 1024;

    /// <summary>How many recent message ids are remembered to filter redelivered duplicates. Default: 10,000.</summary>
    public int DeduplicationCapacity { get; set; } = 10_000;

    /// <summary>
    /// When <c>true</c>, every received message is acknowledged automatically after the
    /// <see cref="HubClientBase.MessageReceived"/> handlers returned. Default: <c>true</c>.
    /// </summary>
    public bool AutoAck { get; set; } = true;

    /// <summary>
    /// When <c>true</c>, a message whose id was seen recently is not raised again. Turn off (with <see cref="AutoAck"/>)
    /// to observe the server's raw deliveries. Default: <c>true</c>.
    /// </summary>
    public bool Deduplicate { get; set; } = true;

    /// <summary>
    /// The clock for the ack timer, reconnect delays, <see cref="HandshakeTimeout"/> and <see cref="SendRetryTimeout"/>; keep-alive and
    /// <see cref="ServerTimeout"/> run on the official client's own timers. Default: <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the client logs; <c>null</c> for no logging. Default: <c>null</c>.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The epoch of this device's delivery state (<see cref="DeviceId"/>) the client saw last, for the first connect
    /// (later connects send the one from the last <c>Resumed</c>). A process that persists <see cref="HubClientBase.Epoch"/>
    /// and passes it here after a restart learns from <see cref="Contracts.ResumeInfo.Recovered"/> = <c>false</c> when the
    /// server lost that state (or forgot the device) meanwhile; without it, the first connect cannot tell. Default: <c>null</c>.
    /// </summary>
    public string? InitialEpoch { get; set; }

    /// <summary>
    /// Message ids already handled, oldest first, to seed de-duplication (at most <see cref="DeduplicationCapacity"/> are
    /// kept, the newest). A process that persists <see cref="HubClientBase.GetRecentMessageIds"/> and passes them here
    /// after a restart does not raise again the messages it handled but whose acknowledgement was lost. Default:
    /// <c>null</c>, none.
    /// </summary>
    public IEnumerable<string>? InitialRecentMessageIds { get; set; }

    /// <summary>
    /// What is wrong with these settings, one message per problem naming the setting; empty when they can be used.
    /// The clients' constructors and the DI registration's start-up check both ask it.
    /// </summary>
    internal IEnumerable<string> Problems()
    {
        if (AckBatchSize < 1)
        {
            yield return $"AckBatchSize must be at least 1 (was {AckBatchSize}).";
        }
        if (MaxAckMessageBytes < 256)
        {
            yield return $"MaxAckMessageBytes must be at least 256 (was {MaxAckMessageBytes}).";
        }
        if (SendRetryTimeout < TimeSpan.Zero)
        {
            yield return $"SendRetryTimeout must not be negative (was {SendRetryTimeout}); TimeSpan.Zero turns resending off.";
        }
        if (NegotiateAttempts < 1)
        {
            yield return $"NegotiateAttempts must be at least 1 (was {NegotiateAttempts}).";
        }
        if ((Transports & HubTransports.All) == 0)
        {
            yield return "At least one transport must be allowed (Transports).";
        }
        if (!string.IsNullOrEmpty(DeviceId) && !HubNames.IsValid(DeviceId))
        {
            yield return $"DeviceId must be 1-{HubNames.MaxLength} characters of letters, digits, '_', '.' or '-' (was '{DeviceId}'); " +
                "null or empty names no device (the user's anonymous device).";
        }
        if (SkipNegotiation && Transports != HubTransports.WebSockets)
        {
            yield return "Skipping negotiation (SkipNegotiation) requires the WebSockets transport alone (Transports).";
        }
    }

    // "net-" and 24 hex digits of SHA-256 over the three parts: within the name rule, and nothing readable leaves the
    // machine. A line feed separates the parts (none of them contains one), so different triples never hash the same text.
    internal static string DeriveDeviceId(string machine, string osUser, string program)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{machine}\n{osUser}\n{program}"));
        return "net-" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }
}
