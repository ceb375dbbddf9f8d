namespace Hub.Client;

/// <summary>The hub protocol spoken over the transport.</summary>
public enum HubProtocolFormat
{
    /// <summary>SignalR's JSON protocol (camelCase property names), what browsers use by default.</summary>
    Json,

    /// <summary>
    /// SignalR's MessagePack protocol: binary, smaller and cheaper to parse. Records travel as maps keyed by their
    /// property names; a notification payload as its JSON text (see <c>Hub.Contracts.Serialization.HubMessagePack</c>).
    /// </summary>
    MessagePack,
}
