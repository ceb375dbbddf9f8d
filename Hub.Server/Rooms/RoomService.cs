using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Limits;
using Hub.Server.Presence;
using Microsoft.Extensions.Options;

namespace Hub.Server.Rooms;

/// <summary>
/// Room operations of any namespace, with their checks: names, membership, limits. The hubs add the SignalR side
/// (groups and events); the HTTP API uses the same service.
/// </summary>
public sealed class RoomService(IRoomStore rooms, IPresenceStore presence, IDeliveryStore delivery, IOptions<LimitsOptions> limits)
{
    private readonly LimitsOptions _limits = limits.Value;

    private RoomLimits Limits => new(_limits.MaxRoomsPerUser, _limits.MaxMembersPerRoom, _limits.MaxOwnedRoomsPerUser, _limits.MaxRoomsPerNamespace);

    /// <summary>Creates a room; the creator becomes owner and member.</summary>
    public Task<RoomInfo> CreateAsync(HubNamespace ns, string user, string? room, CancellationToken cancellationToken = default) =>
        rooms.CreateAsync(ns.Name, Names.Room(room), user, Limits, cancellationToken);

    /// <summary>Deletes a room the user owns; returns its former members.</summary>
    public Task<IReadOnlyList<string>> DeleteAsync(HubNamespace ns, string user, string? room, CancellationToken cancellationToken = default) =>
        rooms.DeleteAsync(ns.Name, Names.Room(room), user, cancellationToken);

    /// <summary>Joins a room and returns it with its members' presence.</summary>
    public async Task<(RoomState State, bool Added)> JoinAsync(HubNamespace ns, string user, string? room, CancellationToken cancellationToken = default)
    {
        var result = await rooms.JoinAsync(ns.Name, Names.Room(room), user, Limits, ns.AutoCreateRooms, cancellationToken);
        return (new RoomState(result.Room.Name, await WithPresenceAsync(ns, result.Members, cancellationToken)), result.Added);
    }

    /// <summary>Leaves a room; returns whether the user was a member.</summary>
    public Task<bool> LeaveAsync(HubNamespace ns, string user, string? room, CancellationToken cancellationToken = default) =>
        rooms.LeaveAsync(ns.Name, Names.Room(room), user, cancellationToken);

    /// <summary>
    /// A page of the namespace's rooms by name, after <paramref name="after"/> (from the first when <c>null</c>);
    /// <paramref name="limit"/> is 1..<see cref="LimitsOptions.MaxRoomsPage"/>, <c>null</c> meaning the largest page.
    /// </summary>
    public Task<RoomPage> ListAsync(HubNamespace ns, string? after, int? limit, CancellationToken cancellationToken = default)
    {
        var max = _limits.MaxRoomsPage;
        if (limit is < 1 || limit > max)
        {
            throw new HubRequestException($"Room page limit must be between 1 and {max} (Limits:MaxRoomsPage).");
        }
        // Any string is a valid cursor (rooms named after it), but only a room name can be one that we handed out.
        if (after is not null && !Names.IsValid(after))
        {
            throw new HubRequestException("Invalid cursor: pass the 'next' of the previous page, or null for the first.");
        }
        return rooms.ListAsync(ns.Name, after, limit ?? max, cancellationToken);
    }

    /// <summary>The rooms the user is a member of.</summary>
    public Task<IReadOnlyList<string>> RoomsOfAsync(HubNamespace ns, string user, CancellationToken cancellationToken = default) =>
        rooms.GetRoomsOfUserAsync(ns.Name, user, cancellationToken);

    /// <summary>Members of a room with presence.</summary>
    public async Task<IReadOnlyList<Member>> GetMembersAsync(HubNamespace ns, string? room, CancellationToken cancellationToken = default)
    {
        var members = await rooms.GetMembersAsync(ns.Name, Names.Room(room), cancellationToken);
        return await WithPresenceAsync(ns, members, cancellationToken);
    }

    /// <summary>A page of a room's history; members only.</summary>
    public async Task<IReadOnlyList<Envelope>> GetHistoryAsync(HubNamespace ns, string user, string? room, string? before, int limit, CancellationToken cancellationToken = default)
    {
        var name = Names.Room(room);
        HistoryPage.Limit(limit, _limits.MaxHistoryPage);
        var cursor = MessageId.ParseCursor(before);
        var members = await rooms.GetMembersAsync(ns.Name, name, cancellationToken);
        if (!members.Contains(user, StringComparer.Ordinal))
        {
            throw RoomErrors.NotMember(name);
        }
        return await delivery.GetHistoryAsync(ns.Name, DeliveryScope.Room(name), cursor, limit, cancellationToken);
    }

    private async Task<IReadOnlyList<Member>> WithPresenceAsync(HubNamespace ns, IReadOnlyList<string> users, CancellationToken cancellationToken)
    {
        var online = await presence.AreOnlineAsync(ns.Name, users, cancellationToken);
        return [.. users.Select((u, i) => new Member(u, online[i]))];
    }
}
