using Hub.Contracts;
using Hub.Server.Limits;

namespace Hub.Server.Hubs;

/// <summary>Private rooms, roles, invites, kicks and typing (docs/protocol.md, "Private rooms, roles and typing").</summary>
public sealed partial class ChatHub
{
    /// <summary>
    /// Creates a private room: listed, readable and joinable only by its members and the users they invite; to anyone
    /// else it does not exist. Only the caller's connections get <c>RoomCreated</c>.
    /// </summary>
    public Task<RoomInfo> CreatePrivateRoom(string room) => CreateAsync(room, isPrivate: true);

    /// <summary>
    /// Invites a user to a private room (owner and admins): the invitee gets <c>Invited(room, by)</c> on every connection
    /// (any node) and joins with <c>JoinRoom</c>. Public rooms need no invite and refuse one.
    /// </summary>
    public async Task Invite(string room, string user)
    {
        Acquire(RateLimit.RoomChange);
        var (name, invitee) = await Services.Rooms.InviteAsync(Ns, User, room, user, Context.ConnectionAborted);
        await Clients.User(invitee).Invited(name, User);
    }

    /// <summary>
    /// Removes a member (the owner kicks admins and members, an admin kicks members) or revokes a pending invite. The
    /// room gets <c>UserLeft(room, user)</c> then <c>UserKicked(room, user, by)</c>, the kicked user's connections
    /// included (sent to them directly), before they leave the room's group.
    /// </summary>
    public async Task Kick(string room, string user)
    {
        Acquire(RateLimit.RoomChange);
        var (name, kicked, wasMember) = await Services.Rooms.KickAsync(Ns, User, room, user, Context.ConnectionAborted);
        if (!wasMember)
        {
            return;
        }
        // The kicked user's connections hear it on their own channel, not through the group they are about to leave:
        // on another node the backplane handles a group message and a group removal on separate queues, so the
        // removal could overtake the message and the kicked user would never be told.
        var connections = await Services.Presence.GetConnectionsAsync(Ns.Name, kicked, Context.ConnectionAborted);
        foreach (var clients in (IHubClient[])[Clients.GroupExcept(name, connections), Clients.Clients(connections)])
        {
            await clients.UserLeft(name, kicked);
            await clients.UserKicked(name, kicked, User);
        }
        foreach (var connectionId in connections)
        {
            await Groups.RemoveFromGroupAsync(connectionId, name, Context.ConnectionAborted);
        }
    }

    /// <summary>Makes a member an admin or a plain member again (owner only); the room gets <c>RoleChanged(room, user, role)</c>.</summary>
    public async Task SetRole(string room, string user, string role)
    {
        Acquire(RateLimit.RoomChange);
        var (name, member, changed) = await Services.Rooms.SetRoleAsync(Ns, User, room, user, role, Context.ConnectionAborted);
        if (changed)
        {
            await Clients.Group(name).RoleChanged(name, member, role);
        }
    }

    /// <summary>
    /// Tells the room's other connections the caller is typing (<c>UserTyping(room, user)</c>); members only, not stored.
    /// Over <c>Limits:TypingPerSecond</c> the signal is dropped without an error: a typing hint is not worth one.
    /// </summary>
    public async Task Typing(string room)
    {
        if (!Services.RateLimiter.TryAcquire(Ns.Name, User, RateLimit.Typing))
        {
            return;
        }
        var (name, _) = await Services.Rooms.RequireMemberAsync(Ns, User, room, Context.ConnectionAborted);
        // The room's group holds every member's connections on every node (the backplane carries it across).
        await Clients.OthersInGroup(name).UserTyping(name, User);
    }

    // Public rooms are announced to everyone in the namespace (every node, through the backplane); a private room only
    // to its one member, the creator, whose connections have just joined its group.
    private async Task<RoomInfo> CreateAsync(string room, bool isPrivate)
    {
        Acquire(RateLimit.RoomChange);
        var info = await Services.Rooms.CreateAsync(Ns, User, room, isPrivate, Context.ConnectionAborted);
        await SetGroupAsync(info.Name, join: true);
        await (isPrivate ? Clients.Group(info.Name) : Clients.All).RoomCreated(info);
        return info;
    }
}
