using Hub.Contracts;
using Hub.Server.Common;

namespace Hub.Server.Hubs;

/// <summary>The chat namespace (<c>/hubs/chat</c>): rooms, room messages, direct messages, broadcasts, history.</summary>
public sealed partial class ChatHub(HubServices services) : NamespaceHub<ChatHub>(services), INamespaceHub
{
    /// <inheritdoc/>
    public static HubNamespace Namespace => HubNamespace.Chat;

    /// <summary>Creates a public room; the caller becomes its owner and first member, and everyone gets <c>RoomCreated</c>.</summary>
    public Task<RoomInfo> CreateRoom(string room) => CreateAsync(room, isPrivate: false);

    /// <summary>
    /// Deletes a room the caller owns; everyone receives <c>RoomDeleted</c> for a public room (members once), only its
    /// members for a private one.
    /// </summary>
    public async Task DeleteRoom(string room)
    {
        Acquire(Limits.RateLimit.RoomChange);
        var name = Names.Room(room);
        var (isPrivate, members) = await Services.Rooms.DeleteAsync(Ns, User, name, Context.ConnectionAborted);
        await (isPrivate ? Clients.Group(name) : Clients.All).RoomDeleted(name);
        foreach (var member in members)
        {
            foreach (var connectionId in await Services.Presence.GetConnectionsAsync(Ns.Name, member, Context.ConnectionAborted))
            {
                await Groups.RemoveFromGroupAsync(connectionId, name, Context.ConnectionAborted);
            }
        }
    }

    /// <summary>Sends to a room the caller is a member of.</summary>
    public Task<SendResult> SendToRoom(string room, string text)
    {
        AcquireSendToken();
        return Services.Sender.ToRoomAsync(Ns, User, room, text, Context.ConnectionAborted);
    }

    /// <summary>Sends one message to several rooms; a user in several of them receives it once.</summary>
    public Task<SendResult> SendToRooms(string[] rooms, string text)
    {
        AcquireSendToken();
        return Services.Sender.ToRoomsAsync(Ns, User, rooms, text, Context.ConnectionAborted);
    }

    /// <summary>Sends a direct message.</summary>
    public Task<SendResult> SendToUser(string user, string text)
    {
        AcquireSendToken();
        return Services.Sender.ToUserAsync(Ns, User, user, text, Context.ConnectionAborted);
    }

    /// <summary>Sends to every other user online in the namespace.</summary>
    public Task<SendResult> Broadcast(string text)
    {
        AcquireSendToken();
        return Services.Sender.BroadcastAsync(Ns, User, text, Context.ConnectionAborted);
    }

    /// <summary>
    /// Sends to the request's one target (room, rooms, user or broadcast). With a key, a retry after a lost answer
    /// returns the first result and stores nothing new.
    /// </summary>
    public Task<SendResult> Send(SendRequest request)
    {
        AcquireSendToken();
        return Services.Sender.SendAsync(Ns, User, request, Context.ConnectionAborted);
    }

    /// <summary>Messages of a room, newest last; members only.</summary>
    public Task<IReadOnlyList<Envelope>> GetHistory(string room, string? before, int limit)
    {
        Acquire(Limits.RateLimit.Read);
        return Services.Rooms.GetHistoryAsync(Ns, User, room, before, limit, Context.ConnectionAborted);
    }
}
