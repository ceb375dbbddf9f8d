namespace Hub.Server.Rooms;

/// <summary>The access calls (roles, invites, kicks) measured and traced like the rest.</summary>
internal sealed partial class MeasuredRoomStore
{
    public Task<RoomRoster> GetRosterAsync(string ns, string room, string viewer, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("room_roster", ns, () => inner.GetRosterAsync(ns, room, viewer, cancellationToken), cancellationToken);

    public Task<RoomAccess> GetAccessAsync(string ns, string room, string user, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("room_access", ns, () => inner.GetAccessAsync(ns, room, user, cancellationToken), cancellationToken);

    public Task<bool> InviteAsync(string ns, string room, string by, string user, int maxInvites, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("room_invite", ns, () => inner.InviteAsync(ns, room, by, user, maxInvites, cancellationToken), cancellationToken);

    public Task<bool> KickAsync(string ns, string room, string by, string user, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("room_kick", ns, () => inner.KickAsync(ns, room, by, user, cancellationToken), cancellationToken);

    public Task<bool> SetRoleAsync(string ns, string room, string by, string user, string role, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("room_set_role", ns, () => inner.SetRoleAsync(ns, room, by, user, role, cancellationToken), cancellationToken);
}
