using Hub.Contracts;

namespace Hub.Server.Rooms;

/// <summary>A room and one user's role in it.</summary>
/// <param name="Room">The room.</param>
/// <param name="Role">The user's role (<see cref="RoomRoles"/>), or <c>null</c> when the user is not a member.</param>
public sealed record RoomAccess(RoomInfo Room, string? Role)
{
    /// <summary>The role of <paramref name="user"/>, a member of <paramref name="room"/> (the owner is owner whatever else is recorded).</summary>
    public static string RoleOf(RoomInfo room, string user, bool isAdmin) =>
        string.Equals(room.Owner, user, StringComparison.Ordinal) ? RoomRoles.Owner : isAdmin ? RoomRoles.Admin : RoomRoles.Member;

    /// <summary>
    /// Whether <paramref name="room"/> is hidden from <paramref name="user"/>: private, and the user neither a member nor
    /// its owner (an owner who left may still see and rejoin it). Hidden rooms are refused as if they did not exist.
    /// The Redis scripts apply the same rule (lib_room.lua).
    /// </summary>
    public static bool IsHidden(RoomInfo room, string user, bool isMember) =>
        room.IsPrivate && !isMember && !string.Equals(room.Owner, user, StringComparison.Ordinal);
}
