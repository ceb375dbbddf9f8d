using Hub.Contracts;
using Hub.Server.Common;

namespace Hub.Server.Rooms;

/// <summary>Roles, invites, kicks and the membership check of calls that only members may make.</summary>
public sealed partial class RoomService
{
    /// <summary>
    /// Refuses <paramref name="user"/> unless a member of the room (a private room as if it did not exist); returns the
    /// room's name and the user's role.
    /// </summary>
    public async Task<(string Room, string Role)> RequireMemberAsync(HubNamespace ns, string user, string? room, CancellationToken cancellationToken = default)
    {
        var name = Names.Room(room);
        var access = await rooms.GetAccessAsync(ns.Name, name, user, cancellationToken);
        return (name, access.Role ?? throw RoomErrors.NotMember(name));
    }

    /// <summary>Invites a user to a private room (owner and admins); returns the room and invitee names.</summary>
    public async Task<(string Room, string User)> InviteAsync(HubNamespace ns, string by, string? room, string? user, CancellationToken cancellationToken = default)
    {
        var (name, invitee) = (Names.Room(room), Names.User(user));
        await rooms.InviteAsync(ns.Name, name, by, invitee, _limits.MaxInvitesPerRoom, cancellationToken);
        return (name, invitee);
    }

    /// <summary>
    /// Kicks a member (or revokes an invite): the owner kicks anyone but itself, an admin kicks plain members. Returns
    /// the room and user names, and whether the user was a member.
    /// </summary>
    public async Task<(string Room, string User, bool WasMember)> KickAsync(HubNamespace ns, string by, string? room, string? user, CancellationToken cancellationToken = default)
    {
        var (name, kicked) = (Names.Room(room), Names.User(user));
        return (name, kicked, await rooms.KickAsync(ns.Name, name, by, kicked, cancellationToken));
    }

    /// <summary>Gives a member the admin or member role (owner only); returns the names and whether the role changed.</summary>
    public async Task<(string Room, string User, bool Changed)> SetRoleAsync(HubNamespace ns, string by, string? room, string? user, string? role,
        CancellationToken cancellationToken = default)
    {
        var (name, member) = (Names.Room(room), Names.User(user));
        if (role is not (RoomRoles.Admin or RoomRoles.Member))
        {
            throw RoomAccessErrors.UnknownRole(role);
        }
        return (name, member, await rooms.SetRoleAsync(ns.Name, name, by, member, role, cancellationToken));
    }
}
