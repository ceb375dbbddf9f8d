using Hub.Server.Common;
using Hub.Server.Presence;
using Hub.Server.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Hubs;

/// <summary>Tells a user's rooms that the user came online or went offline: one place for every cause.</summary>
public sealed class PresenceAnnouncer(RoomService rooms, IEnumerable<NamespaceClients> namespaces) : IPresenceListener
{
    private readonly Dictionary<string, NamespaceClients> _namespaces = namespaces.ToDictionary(n => n.Namespace.Name, StringComparer.Ordinal);

    /// <summary>Sends <c>PresenceChanged(room, user, online)</c> to every room of the user in the namespace.</summary>
    public async Task AnnounceAsync(HubNamespace ns, string user, bool online, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ns);
        var clients = _namespaces[ns.Name].Clients;
        foreach (var room in await rooms.RoomsOfAsync(ns, user, cancellationToken))
        {
            await clients.Group(room).PresenceChanged(room, user, online);
        }
    }

    /// <inheritdoc/>
    public Task UserWentOfflineAsync(string ns, string user, CancellationToken cancellationToken = default) =>
        AnnounceAsync(_namespaces[ns].Namespace, user, online: false, cancellationToken);

    /// <inheritdoc/>
    public Task UserCameOnlineAsync(string ns, string user, CancellationToken cancellationToken = default) =>
        AnnounceAsync(_namespaces[ns].Namespace, user, online: true, cancellationToken);
}
