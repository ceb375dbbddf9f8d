namespace Hub.Server.Backplane;

/// <summary>
/// Settings of the Redis backplane (<see cref="RedisHubLifetimeManager{THub}"/>), bound from the
/// <c>Redis:Backplane</c> section. The Redis connection and the channel prefix come from <c>Redis</c>
/// (<see cref="Storage.Redis.RedisOptions"/>): the backplane shares the node's one Redis client.
/// </summary>
public sealed class RedisBackplaneOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Redis:Backplane";

    /// <summary>
    /// How long adding or removing a connection that lives on another node waits for that node's ack. When it
    /// passes, the call returns without error (the connection exists nowhere, or its node is unresponsive) and a
    /// warning is logged. Default 5 s.
    /// </summary>
    public TimeSpan GroupAckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a client-result invocation (<c>Clients.Client(id).InvokeAsync</c>) waits for the client's answer,
    /// on this node or another, before failing with <see cref="TimeoutException"/>. It also bounds how long a node
    /// keeps track of an invocation it relays for another node. Default 30 s.
    /// </summary>
    public TimeSpan ClientResultTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
