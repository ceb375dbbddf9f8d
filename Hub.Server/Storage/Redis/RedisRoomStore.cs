using System.Collections.Concurrent;
using System.Globalization;
using Hub.Contracts;
using Hub.Redis;
using Hub.Server.Rooms;

namespace Hub.Server.Storage.Redis;

/// <summary>Rooms in Redis (cluster mode): every change is one script, so limits hold across nodes.</summary>
internal sealed class RedisRoomStore(RedisStoreConnection redis, TimeProvider time) : IRoomStore
{
    private readonly ConcurrentDictionary<string, bool> _indexed = new(StringComparer.Ordinal);

    private RedisKeys Keys => redis.Keys;

    public async Task<RoomInfo> CreateAsync(string ns, string room, string owner, RoomLimits limits, CancellationToken cancellationToken = default)
    {
        await IndexLegacyRoomsAsync(ns, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var status = (await redis.EvaluateAsync(RedisScripts.RoomCreate,
            [Keys.Base(ns), room, owner, now, limits.MaxRoomsPerUser, limits.MaxOwnedRoomsPerUser, limits.MaxRoomsPerNamespace], cancellationToken)).AsString();
        return status switch
        {
            "ok" => new RoomInfo(room, owner, DateTimeOffset.FromUnixTimeMilliseconds(now)),
            "exists" => throw RoomErrors.Exists(room),
            "owned" => throw RoomErrors.TooManyOwned(limits.MaxOwnedRoomsPerUser),
            "nsfull" => throw RoomErrors.NamespaceFull(limits.MaxRoomsPerNamespace),
            _ => throw RoomErrors.TooManyRooms(limits.MaxRoomsPerUser),
        };
    }

    public async Task<IReadOnlyList<string>> DeleteAsync(string ns, string room, string user, CancellationToken cancellationToken = default)
    {
        await IndexLegacyRoomsAsync(ns, cancellationToken);
        var reply = await redis.EvaluateAsync(RedisScripts.RoomDelete, [Keys.Base(ns), room, user], cancellationToken);
        return reply[0].AsString() switch
        {
            "ok" => Strings(reply, 1),
            "notowner" => throw RoomErrors.NotOwner(room),
            _ => throw RoomErrors.NotFound(room),
        };
    }

    public async Task<JoinResult> JoinAsync(string ns, string room, string user, RoomLimits limits, bool createIfMissing, CancellationToken cancellationToken = default)
    {
        await IndexLegacyRoomsAsync(ns, cancellationToken);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var reply = await redis.EvaluateAsync(RedisScripts.RoomJoin,
            [Keys.Base(ns), room, user, now, limits.MaxRoomsPerUser, limits.MaxMembersPerRoom, createIfMissing ? 1 : 0,
                limits.MaxOwnedRoomsPerUser, limits.MaxRoomsPerNamespace], cancellationToken);
        return reply[0].AsString() switch
        {
            "ok" => new JoinResult(Info(room, reply[1], reply[2]), reply[3].AsInt64() == 1, [.. Strings(reply, 4).Order(StringComparer.Ordinal)]),
            "toomany" => throw RoomErrors.TooManyRooms(limits.MaxRoomsPerUser),
            "full" => throw RoomErrors.RoomFull(room, limits.MaxMembersPerRoom),
            "owned" => throw RoomErrors.TooManyOwned(limits.MaxOwnedRoomsPerUser),
            "nsfull" => throw RoomErrors.NamespaceFull(limits.MaxRoomsPerNamespace),
            _ => throw RoomErrors.NotFound(room),
        };
    }

    public async Task<bool> LeaveAsync(string ns, string room, string user, CancellationToken cancellationToken = default)
    {
        var reply = await redis.EvaluateAsync(RedisScripts.RoomLeave, [Keys.Base(ns), room, user], cancellationToken);
        return reply.Kind == RedisResultKind.Integer ? reply.AsInt64() == 1 : throw RoomErrors.NotFound(room);
    }

    public async Task<RoomInfo?> GetAsync(string ns, string room, CancellationToken cancellationToken = default)
    {
        var reply = await redis.ExecuteAsync("HMGET", [Keys.Room(ns, room), "owner", "created"], cancellationToken);
        return reply[0].IsNull ? null : Info(room, reply[0], reply[1]);
    }

    public async Task<RoomPage> ListAsync(string ns, string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await IndexLegacyRoomsAsync(ns, cancellationToken);
        var reply = await redis.EvaluateAsync(RedisScripts.RoomList, [Keys.Base(ns), after ?? "", limit], cancellationToken);
        var rooms = new List<RoomInfo>(reply.Count / 3);
        for (var i = 1; i + 2 < reply.Count; i += 3)
        {
            rooms.Add(Info(reply[i].AsString()!, reply[i + 1], reply[i + 2]));
        }
        // The cursor is the last name read, so a room deleted between the two reads does not end the listing early.
        return new RoomPage(rooms, reply[0].AsInt64() == 1 && rooms.Count > 0 ? rooms[^1].Name : null);
    }

    public async Task<IReadOnlyList<string>> GetMembersAsync(string ns, string room, CancellationToken cancellationToken = default)
    {
        var reply = await redis.EvaluateAsync(RedisScripts.RoomMembers, [Keys.Base(ns), room], cancellationToken);
        return reply[0].AsString() == "ok" ? [.. Strings(reply, 1).Order(StringComparer.Ordinal)] : throw RoomErrors.NotFound(room);
    }

    public async Task<IReadOnlyList<string>> GetRoomsOfUserAsync(string ns, string user, CancellationToken cancellationToken = default)
    {
        var reply = await redis.ExecuteAsync("SMEMBERS", [Keys.UserRooms(ns, user)], cancellationToken);
        return [.. Strings(reply, 0).Order(StringComparer.Ordinal)];
    }

    // Rooms created before the room index (room-names, owned:{user}) existed sit in the old 'rooms' set: index them
    // once per namespace and process, before the first call that lists, counts or changes rooms, so an upgrade neither
    // hides them from ListRooms nor leaves them out of the bounds.
    private async ValueTask IndexLegacyRoomsAsync(string ns, CancellationToken cancellationToken)
    {
        if (_indexed.ContainsKey(ns))
        {
            return;
        }
        await redis.EvaluateAsync(RedisScripts.RoomIndexLegacy, [Keys.Base(ns)], cancellationToken);
        _indexed.TryAdd(ns, true);
    }

    private static RoomInfo Info(string room, RedisResult owner, RedisResult created) =>
        new(room, owner.AsString()!, DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(created.AsString()!, CultureInfo.InvariantCulture)));

    private static List<string> Strings(RedisResult array, int from)
    {
        var list = new List<string>(Math.Max(0, array.Count - from));
        for (var i = from; i < array.Count; i++)
        {
            list.Add(array[i].AsString()!);
        }
        return list;
    }
}
