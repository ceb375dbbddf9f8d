using Hub.Contracts;

namespace Hub.Server.Rooms;

/// <summary>
/// Who may do what in a room: roles (<see cref="RoomRoles"/>), invites and kicks. Each call checks the caller's role and
/// changes the room in one atomic step (one script on the room's partition in Redis), so a role changed meanwhile
/// cannot let a stale check through. A private room the caller is not a member of (nor its owner) is refused with
/// <see cref="RoomErrors.NotFound"/>, exactly as a room that does not exist, so its existence does not leak.
/// </summary>
public partial interface IRoomStore
{
    /// <summary>The room, its members and its admins, as <paramref name="viewer"/> may see them; refuses an unknown room, or a private one the viewer is not in.</summary>
    Task<RoomRoster> GetRosterAsync(string ns, string room, string viewer, CancellationToken cancellationToken = default);

    /// <summary>
    /// The room and <paramref name="user"/>'s role in it (<c>null</c> when not a member); refuses an unknown room, or a
    /// private one the user is not in.
    /// </summary>
    Task<RoomAccess> GetAccessAsync(string ns, string room, string user, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records an invite of <paramref name="user"/> to a private room by its owner or an admin (<paramref name="by"/>),
    /// bounded by <paramref name="maxInvites"/> pending invites; refuses a public room and a user already a member.
    /// Returns whether the invite is new (inviting again records nothing new, but is not refused).
    /// </summary>
    Task<bool> InviteAsync(string ns, string room, string by, string user, int maxInvites, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes <paramref name="user"/> from the room and revokes a pending invite, on behalf of <paramref name="by"/>: the
    /// owner kicks admins and members, an admin kicks members; nobody kicks the owner or themselves. Returns whether the
    /// user was a member (<c>false</c> when only an invite was revoked); refuses a user neither member nor invited.
    /// </summary>
    Task<bool> KickAsync(string ns, string room, string by, string user, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets a member's role (<see cref="RoomRoles.Admin"/> or <see cref="RoomRoles.Member"/>); only the owner may, and the
    /// owner's own role does not change. Returns whether the role changed.
    /// </summary>
    Task<bool> SetRoleAsync(string ns, string room, string by, string user, string role, CancellationToken cancellationToken = default);
}
