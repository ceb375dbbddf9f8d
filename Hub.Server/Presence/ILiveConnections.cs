namespace Hub.Server.Presence;

/// <summary>
/// The connections this node holds right now, in every namespace: the truth that presence in a shared store is
/// repaired from after a fault (the store lost or reaped them, or a removal failed).
/// </summary>
public interface ILiveConnections
{
    /// <summary>Every connection this node holds, registered and not yet disconnected.</summary>
    IReadOnlyList<LiveConnection> Snapshot();
}
