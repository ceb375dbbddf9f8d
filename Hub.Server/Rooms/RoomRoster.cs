using Hub.Contracts;

namespace Hub.Server.Rooms;

/// <summary>A room with its members and admins (the owner's role comes from <see cref="RoomInfo.Owner"/>).</summary>
/// <param name="Room">The room.</param>
/// <param name="Members">Its members, by name.</param>
/// <param name="Admins">The members with the admin role.</param>
public sealed record RoomRoster(RoomInfo Room, IReadOnlyList<string> Members, IReadOnlyList<string> Admins)
{
    /// <summary>The role of <paramref name="user"/>, a member (<see cref="RoomRoles"/>).</summary>
    public string RoleOf(string user) => RoomAccess.RoleOf(Room, user, Admins.Contains(user, StringComparer.Ordinal));
}
