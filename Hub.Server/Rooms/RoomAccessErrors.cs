using Hub.Contracts;
using Hub.Server.Common;

namespace Hub.Server.Rooms;

/// <summary>The refusals of roles, invites and kicks, worded once so both stores say the same thing.</summary>
public static class RoomAccessErrors
{
    /// <summary>Only the owner and admins invite and kick.</summary>
    public static HubRequestException NotAdmin(string room, string action) =>
        new($"Only the owner and admins of room '{room}' can {action}.", StatusCodes.Status403Forbidden, HubErrorCodes.NotAdmin);

    /// <summary>Only the owner changes roles.</summary>
    public static HubRequestException NotOwner(string room) =>
        new($"Only the owner of room '{room}' can change roles.", StatusCodes.Status403Forbidden, HubErrorCodes.NotOwner);

    /// <summary>The owner cannot be kicked, nor have its role changed.</summary>
    public static HubRequestException IsOwner(string room, string user) =>
        new($"'{user}' owns room '{room}': the owner cannot be kicked or given another role.", StatusCodes.Status403Forbidden, HubErrorCodes.NotAdmin);

    /// <summary>An admin kicks plain members only.</summary>
    public static HubRequestException IsAdmin(string room, string user) =>
        new($"'{user}' is an admin of room '{room}': only the owner can kick an admin.", StatusCodes.Status403Forbidden, HubErrorCodes.NotAdmin);

    /// <summary>Kicking oneself.</summary>
    public static HubRequestException Self(string room) =>
        new($"You cannot kick yourself from room '{room}'; leave it with LeaveRoom.", StatusCodes.Status400BadRequest, HubErrorCodes.InvalidArgument);

    /// <summary>Invites are for private rooms.</summary>
    public static HubRequestException Public(string room) =>
        new($"Room '{room}' is public: anyone can join it, so there is nothing to invite to.", StatusCodes.Status400BadRequest, HubErrorCodes.InvalidArgument);

    /// <summary>The invitee is a member already.</summary>
    public static HubRequestException AlreadyMember(string room, string user) =>
        new($"'{user}' is already a member of room '{room}'.", StatusCodes.Status409Conflict, HubErrorCodes.InvalidArgument);

    /// <summary>The target of a kick or role change is not a member (nor invited).</summary>
    public static HubRequestException TargetNotMember(string room, string user) =>
        new($"'{user}' is not a member of room '{room}'.", StatusCodes.Status404NotFound, HubErrorCodes.NotMember);

    /// <summary>An unknown role.</summary>
    public static HubRequestException UnknownRole(string? role) =>
        new($"Unknown role '{role}': use '{RoomRoles.Admin}' or '{RoomRoles.Member}' (the owner is whoever created the room).", StatusCodes.Status400BadRequest,
            HubErrorCodes.InvalidArgument);

    /// <summary>Too many pending invites.</summary>
    public static HubRequestException TooManyInvites(string room, int max) =>
        new($"Room '{room}' already has {max} pending invites (Limits:MaxInvitesPerRoom); wait until some are used or revoke some with Kick.",
            StatusCodes.Status409Conflict, HubErrorCodes.LimitReached);
}
