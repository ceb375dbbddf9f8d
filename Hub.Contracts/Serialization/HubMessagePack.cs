using MessagePack;
using MessagePack.Resolvers;

namespace Hub.Contracts.Serialization;

/// <summary>
/// The MessagePack settings of Hub's hub protocol, shared by the server's hubs and Hub.Client so both ends agree:
/// SignalR's default (contractless: records as maps keyed by their property names) plus <see cref="JsonElementFormatter"/>
/// for notification payloads.
/// </summary>
public static class HubMessagePack
{
    /// <summary>
    /// Serializer options for <c>AddMessagePackProtocol(o =&gt; o.SerializerOptions = HubMessagePack.SerializerOptions)</c>,
    /// on the server and on the client. Untrusted-data mode: both ends read what the other side sent.
    /// </summary>
    public static MessagePackSerializerOptions SerializerOptions { get; } = MessagePackSerializerOptions.Standard
        .WithResolver(CompositeResolver.Create([JsonElementFormatter.Instance], [ContractlessStandardResolver.Instance]))
        .WithSecurity(MessagePackSecurity.UntrustedData);
}
