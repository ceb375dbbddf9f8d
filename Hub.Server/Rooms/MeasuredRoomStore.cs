using Hub.Contracts;
using Hub.Server.Telemetry;

namespace Hub.Server.Rooms;

/// <summary>Every room store call measured and traced (<see cref="StoreCalls"/>), whichever store is behind it.</summary>
internal sealed partial class MeasuredRoomStore(IRoomStore inner, StoreCalls calls) : IRoomStore
{
    public Task<RoomInfo> CreateAsync(string ns, string room, string owner, RoomLimits limits, bool isPrivate = false, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("room_create", ns, () => inner.CreateAsync(ns, room, owner, limits, isPrivate, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<string>> DeleteAsync(string ns, string room, string user, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("room_delete", ns, () => inner.DeleteAsync(ns, room, user, cancellationToken), cancellationToken);

    public Task<JoinResult> JoinAsync(string ns, string room, string user, RoomLimits limits, bool createIfMissing, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("room_join", ns, () => inner.JoinAsync(ns, room, user, limits, createIfMissing, cancellationToken), cancellationToken);

    public Task<bool> LeaveAsync(string ns, string room, string user, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("room_leave", ns, () => inner.LeaveAsync(ns, room, user, cancellationToken), cancellationToken);

    public Task<RoomInfo?> GetAsync(string ns, string room, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("room_get", ns, () => inner.GetAsync(ns, room, cancellationToken), cancellationToken);

    public Task<RoomPage> ListAsync(string ns, string? after, int limit, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("room_list", ns, () => inner.ListAsync(ns, after, limit, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<string>> GetMembersAsync(string ns, string room, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("room_members", ns, () => inner.GetMembersAsync(ns, room, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<string>> GetRoomsOfUserAsync(string ns, string user, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("user_rooms", ns, () => inner.GetRoomsOfUserAsync(ns, user, cancellationToken), cancellationToken);
}
