namespace Hub.Contracts;

/// <summary>The roles of a room's members: the owner (one), admins and members.</summary>
public static class RoomRoles
{
    /// <summary>Created the room: invites, kicks, changes roles and deletes it.</summary>
    public const string Owner = "owner";
    /// <summary>Invites and kicks members.</summary>
    public const string Admin = "admin";
    /// <summary>Reads and sends.</summary>
    public const string Member = "member";
}
