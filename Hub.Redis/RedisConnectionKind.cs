namespace Hub.Redis;

/// <summary>Which of the client's two connections a state change is about.</summary>
public enum RedisConnectionKind
{
    /// <summary>The multiplexed connection that carries commands, batches, scripts and PUBLISH.</summary>
    Interactive,

    /// <summary>The connection that carries SUBSCRIBE and receives messages.</summary>
    Subscription,
}
