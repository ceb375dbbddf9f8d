using Hub.Server.Storage.Redis;

namespace Hub.Server.Backplane.Internal;

/// <summary>
/// Every Redis channel name the backplane of one hub uses, built in this one place. All start with
/// <see cref="RedisKeys.Backplane"/> (<c>{prefix}:backplane:{hub}:</c>), so two deployments with different prefixes
/// can share one Redis without hearing each other, and two hubs of one deployment never mix.
/// </summary>
internal sealed class BackplaneChannels
{
    private readonly string _base;

    /// <summary>Builds the names for hub <paramref name="hubName"/>.</summary>
    public BackplaneChannels(RedisKeys keys, string hubName)
    {
        _base = keys.Backplane(hubName);
        All = _base + "all";
        GroupManagement = _base + "internal:groups";
    }

    /// <summary>Messages for every connection of the hub.</summary>
    public string All { get; }

    /// <summary>Add/remove-to-group commands, heard by every node; the node owning the connection acts and acks.</summary>
    public string GroupManagement { get; }

    /// <summary>Messages for the members of one group.</summary>
    public string Group(string groupName) => _base + "group:" + groupName;

    /// <summary>Messages (and client-result invocations) for one connection.</summary>
    public string Connection(string connectionId) => _base + "connection:" + connectionId;

    /// <summary>Messages for every connection of one user.</summary>
    public string User(string userId) => _base + "user:" + userId;

    /// <summary>Acks of group commands, read only by node <paramref name="serverName"/>.</summary>
    public string Ack(string serverName) => _base + "internal:ack:" + serverName;

    /// <summary>Client results coming back to node <paramref name="serverName"/>, which started the invocation.</summary>
    public string Return(string serverName) => _base + "internal:return:" + serverName;
}
