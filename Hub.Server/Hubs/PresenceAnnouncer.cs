using Hub.Server.Presence;
using Hub.Server.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Hubs;

/// <summary>Tells a user's rooms that the user came online or went offline: one place for every cause.</summary>
public sealed class PresenceAnnouncer(RoomService rooms, IHubContext<ChatHub, IHubClient> chat, IHubContext<NotificationsHub, IHubClient> notifications)
    : IPresenceListener
{
    /// <summary>Sends <c>PresenceChanged(room, user, online)</c> to every room of the user in the namespace.</summary>
    public async Task AnnounceAsync(HubNamespace ns, string user, bool online, CancellationToken cancellationToken = default)
    {
        var clients = ns == HubNamespace.Chat ? chat.Clients : notifications.Clients;
        foreach (var room in await rooms.RoomsOfAsync(ns, user, cancellationToken))
        {
            await clients.Group(room).PresenceChanged(room, user, online);
        }
    }

    /// <inheritdoc/>
    public Task UserWentOfflineAsync(string ns, string user, CancellationToken cancellationToken = default) =>
        AnnounceAsync(NamespaceOf(ns), user, online: false, cancellationToken);

    /// <inheritdoc/>
    public Task UserCameOnlineAsync(string ns, string user, CancellationToken cancellationToken = default) =>
        AnnounceAsync(NamespaceOf(ns), user, online: true, cancellationToken);

    private static HubNamespace NamespaceOf(string ns) => ns == HubNamespace.Notifications.Name ? HubNamespace.Notifications : HubNamespace.Chat;
}
