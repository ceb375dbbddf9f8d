using Hub.Client.Internal;
using Hub.Contracts;
using Microsoft.AspNetCore.SignalR.Client;

namespace Hub.Client;

/// <summary>Private rooms, roles, invites, kicks, typing and the room list's events.</summary>
public sealed partial class ChatClient
{
    /// <summary>A public room was created (everyone in the namespace hears of it), or the caller created a private one.</summary>
    public event Action<RoomInfo>? RoomCreated;

    /// <summary>The caller was invited to a private room: <c>(room, by)</c>. Join it with <see cref="HubClientBase.JoinRoomAsync"/>.</summary>
    public event Action<string, string>? Invited;

    /// <summary>
    /// A member was kicked: <c>(room, user, by)</c>. Follows <see cref="HubClientBase.UserLeft"/> for the same user; the
    /// kicked user gets it too, and then no more events of the room.
    /// </summary>
    public event Action<string, string, string>? UserKicked;

    /// <summary>A member's role changed: <c>(room, user, role)</c>, a role of <see cref="RoomRoles"/>.</summary>
    public event Action<string, string, string>? RoleChanged;

    /// <summary>Another member is typing in a room: <c>(room, user)</c>. Not stored; repeated every few seconds while typing lasts.</summary>
    public event Action<string, string>? UserTyping;

    /// <summary>
    /// <c>CreatePrivateRoom(room)</c>: creates a private room owned by the caller. Only members and the users they invite
    /// see it; to anyone else it does not exist (the same refusals as a missing room).
    /// </summary>
    /// <param name="room">The room's name.</param>
    /// <param name="cancellationToken">Stops waiting for the result.</param>
    /// <returns>The created room (<see cref="RoomInfo.IsPrivate"/> set).</returns>
    public Task<RoomInfo> CreatePrivateRoomAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return InvokeAsync<RoomInfo>(HubMethods.CreatePrivateRoom, [room], cancellationToken);
    }

    /// <summary>
    /// <c>Invite(room, user)</c>: lets a user join a private room (owner and admins only); the user gets
    /// <see cref="Invited"/> on every connection. Refused for a public room and for a member.
    /// </summary>
    /// <param name="room">The private room.</param>
    /// <param name="user">The user to invite.</param>
    /// <param name="cancellationToken">Stops waiting for the completion.</param>
    public Task InviteAsync(string room, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(user);
        return InvokeAsync(HubMethods.Invite, [room, user], cancellationToken);
    }

    /// <summary>
    /// <c>Kick(room, user)</c>: removes a member or revokes an invite. The owner kicks admins and members, an admin kicks
    /// members; nobody kicks the owner. The room gets <see cref="HubClientBase.UserLeft"/> and <see cref="UserKicked"/>.
    /// </summary>
    /// <param name="room">The room.</param>
    /// <param name="user">The member to remove.</param>
    /// <param name="cancellationToken">Stops waiting for the completion.</param>
    public Task KickAsync(string room, string user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(user);
        return InvokeAsync(HubMethods.Kick, [room, user], cancellationToken);
    }

    /// <summary><c>SetRole(room, user, role)</c>: makes a member an admin or a plain member (owner only); the room gets <see cref="RoleChanged"/>.</summary>
    /// <param name="room">The room.</param>
    /// <param name="user">The member.</param>
    /// <param name="role"><see cref="RoomRoles.Admin"/> or <see cref="RoomRoles.Member"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the completion.</param>
    public Task SetRoleAsync(string room, string user, string role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(role);
        return InvokeAsync(HubMethods.SetRole, [room, user, role], cancellationToken);
    }

    /// <summary>
    /// <c>Typing(room)</c>: tells the room's other members the caller is typing (<see cref="UserTyping"/>). Send it every
    /// few seconds while the user types; over the server's rate (<c>Limits:TypingPerSecond</c>) it is dropped silently.
    /// </summary>
    /// <param name="room">A room the caller is a member of.</param>
    /// <param name="cancellationToken">Stops waiting for the completion.</param>
    public Task TypingAsync(string room, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(room);
        return InvokeAsync(HubMethods.Typing, [room], cancellationToken);
    }

    private void RegisterRoomEvents(ServerEvents events)
    {
        events.On<RoomInfo>(HubEvents.RoomCreated, room => RaiseServerEvent(nameof(RoomCreated), () => RoomCreated?.Invoke(room)));
        events.On<string, string>(HubEvents.Invited, (room, by) => RaiseServerEvent(nameof(Invited), () => Invited?.Invoke(room, by)));
        events.On<string, string, string>(HubEvents.UserKicked,
            (room, user, by) => RaiseServerEvent(nameof(UserKicked), () => UserKicked?.Invoke(room, user, by)));
        events.On<string, string, string>(HubEvents.RoleChanged,
            (room, user, role) => RaiseServerEvent(nameof(RoleChanged), () => RoleChanged?.Invoke(room, user, role)));
        events.On<string, string>(HubEvents.UserTyping, (room, user) => RaiseServerEvent(nameof(UserTyping), () => UserTyping?.Invoke(room, user)));
    }
}
