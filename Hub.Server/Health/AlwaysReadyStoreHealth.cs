namespace Hub.Server.Health;

/// <summary>The in-memory store is ready as long as the process runs.</summary>
internal sealed class AlwaysReadyStoreHealth : IStoreHealth
{
    public string? NotReadyReason => null;
}
