using Hub.Contracts;
using Hub.Server.Rooms;

namespace Hub.Server.Storage.InMemory;

/// <summary>Roles, invites and kicks in process memory; each call checks and changes under the namespace's gate.</summary>
internal sealed partial class InMemoryRoomStore
{
    public Task<RoomRoster> GetRosterAsync(string ns, string room, string viewer, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var r = Visible(s, room, viewer);
            return Task.FromResult(new RoomRoster(r.Info, Sorted(r.Members), Sorted(r.Admins)));
        }
    }

    public Task<RoomAccess> GetAccessAsync(string ns, string room, string user, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var r = Visible(s, room, user);
            return Task.FromResult(new RoomAccess(r.Info, RoleOf(r, user)));
        }
    }

    public Task<bool> InviteAsync(string ns, string room, string by, string user, int maxInvites, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var r = Visible(s, room, by);
            if (!r.Info.IsPrivate)
            {
                throw RoomAccessErrors.Public(room);
            }
            if (RoleOf(r, by) is not (RoomRoles.Owner or RoomRoles.Admin))
            {
                throw RoomAccessErrors.NotAdmin(room, "invite");
            }
            if (r.Members.Contains(user))
            {
                throw RoomAccessErrors.AlreadyMember(room, user);
            }
            if (!r.Invites.Contains(user) && r.Invites.Count >= maxInvites)
            {
                throw RoomAccessErrors.TooManyInvites(room, maxInvites);
            }
            return Task.FromResult(r.Invites.Add(user));
        }
    }

    public Task<bool> KickAsync(string ns, string room, string by, string user, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var r = Visible(s, room, by);
            var byRole = RoleOf(r, by);
            if (byRole is not (RoomRoles.Owner or RoomRoles.Admin))
            {
                throw RoomAccessErrors.NotAdmin(room, "kick");
            }
            if (by == user)
            {
                throw RoomAccessErrors.Self(room);
            }
            switch (RoleOf(r, user))
            {
                case RoomRoles.Owner: throw RoomAccessErrors.IsOwner(room, user);
                case RoomRoles.Admin when byRole != RoomRoles.Owner: throw RoomAccessErrors.IsAdmin(room, user);
            }
            var revoked = r.Invites.Remove(user);
            var removed = r.Members.Remove(user);
            if (!removed && !revoked)
            {
                throw RoomAccessErrors.TargetNotMember(room, user);
            }
            r.Admins.Remove(user);
            s.RoomsOf(user).Remove(room);
            s.ForgetRoom(user, room);
            return Task.FromResult(removed);
        }
    }

    public Task<bool> SetRoleAsync(string ns, string room, string by, string user, string role, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var r = Visible(s, room, by);
            if (RoleOf(r, by) != RoomRoles.Owner)
            {
                throw RoomAccessErrors.NotOwner(room);
            }
            if (user == r.Info.Owner)
            {
                throw RoomAccessErrors.IsOwner(room, user);
            }
            if (!r.Members.Contains(user))
            {
                throw RoomAccessErrors.TargetNotMember(room, user);
            }
            return Task.FromResult(role == RoomRoles.Admin ? r.Admins.Add(user) : r.Admins.Remove(user));
        }
    }

    // Caller holds the gate. A private room the user may not see is refused exactly as a missing one.
    private static InMemoryRoom Visible(InMemoryNamespace s, string room, string user)
    {
        var r = s.Rooms.GetValueOrDefault(room);
        return r is null || r.IsHiddenFrom(user) ? throw RoomErrors.NotFound(room) : r;
    }

    private static string? RoleOf(InMemoryRoom r, string user) =>
        r.Members.Contains(user) ? RoomAccess.RoleOf(r.Info, user, r.Admins.Contains(user)) : null;
}
