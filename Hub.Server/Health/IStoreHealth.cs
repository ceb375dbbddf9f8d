namespace Hub.Server.Health;

/// <summary>Whether the store (and, in cluster mode, the backplane) can serve requests right now.</summary>
public interface IStoreHealth
{
    /// <summary><c>null</c> when ready, else why not.</summary>
    string? NotReadyReason { get; }
}
