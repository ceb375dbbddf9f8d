namespace Hub.Client;

/// <summary>The transports a client may use; the server must allow them too (Hub's hubs allow all three).</summary>
[Flags]
public enum HubTransports
{
    /// <summary>WebSockets: one full-duplex connection; the cheapest, and the only one that works without negotiation.</summary>
    WebSockets = 1,

    /// <summary>Server-Sent Events: a streaming HTTP response down, one POST per message up.</summary>
    ServerSentEvents = 2,

    /// <summary>Long polling: repeated GETs down, one POST per message up; works through anything that passes HTTP.</summary>
    LongPolling = 4,

    /// <summary>Any of the three, tried in the server's order (WebSockets first): the official client's fallback.</summary>
    All = WebSockets | ServerSentEvents | LongPolling,
}
