using Hub.Server.Presence;

namespace Hub.Tests.Stores;

/// <summary>A node without connections of its own, for store tests that write presence through the stores directly.</summary>
internal sealed class NoLiveConnections : ILiveConnections
{
    public static readonly NoLiveConnections Instance = new();

    public IReadOnlyList<LiveConnection> Snapshot() => [];
}
