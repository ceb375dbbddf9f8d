using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Backplane.Internal;

/// <summary>
/// What the backplane remembers about one connection living on this node: the groups it joined, so its group
/// subscriptions can be released when it disconnects, and whether it has disconnected, so a group add racing the
/// disconnect cannot leave it behind in a group.
/// </summary>
internal sealed class LocalConnectionState(HubConnectionContext connection)
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _groups = new(StringComparer.Ordinal);
    private bool _closed;

    public HubConnectionContext Connection { get; } = connection;

    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>Records a joined group; false when the connection has already disconnected.</summary>
    public bool TrackGroup(string groupName)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            _groups.Add(groupName);
            return true;
        }
    }

    public void UntrackGroup(string groupName)
    {
        lock (_lock)
        {
            _groups.Remove(groupName);
        }
    }

    /// <summary>Marks the connection disconnected and returns the groups to leave.</summary>
    public string[] Close()
    {
        lock (_lock)
        {
            _closed = true;
            var groups = _groups.ToArray();
            _groups.Clear();
            return groups;
        }
    }
}
