using System.Globalization;
using Hub.Contracts;
using Hub.Server.Rooms;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>Rooms in Redis (cluster mode): every change is one script, so limits hold across nodes.</summary>
internal sealed class RedisRoomStore(RedisStoreConnection redis, TimeProvider time) : IRoomStore
{
    private RedisKeys Keys => redis.Keys;

    public async Task<RoomInfo> CreateAsync(string ns, string room, string owner, RoomLimits limits, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var status = (string?)await redis.EvaluateAsync(RedisScripts.RoomCreate, [Keys.Base(ns), room, owner, now, limits.MaxRoomsPerUser], cancellationToken);
        return status switch
        {
            "ok" => new RoomInfo(room, owner, DateTimeOffset.FromUnixTimeMilliseconds(now)),
            "exists" => throw RoomErrors.Exists(room),
            _ => throw RoomErrors.TooManyRooms(limits.MaxRoomsPerUser),
        };
    }

    public async Task<IReadOnlyList<string>> DeleteAsync(string ns, string room, string user, CancellationToken cancellationToken = default)
    {
        var reply = await redis.EvaluateAsync(RedisScripts.RoomDelete, [Keys.Base(ns), room, user], cancellationToken);
        return (string?)reply[0] switch
        {
            "ok" => Strings(reply, 1),
            "notowner" => throw RoomErrors.NotOwner(room),
            _ => throw RoomErrors.NotFound(room),
        };
    }

    public async Task<JoinResult> JoinAsync(string ns, string room, string user, RoomLimits limits, bool createIfMissing, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var reply = await redis.EvaluateAsync(RedisScripts.RoomJoin,
            [Keys.Base(ns), room, user, now, limits.MaxRoomsPerUser, limits.MaxMembersPerRoom, createIfMissing ? 1 : 0], cancellationToken);
        return (string?)reply[0] switch
        {
            "ok" => new JoinResult(Info(room, reply[1], reply[2]), (long)reply[3] == 1, [.. Strings(reply, 4).Order(StringComparer.Ordinal)]),
            "toomany" => throw RoomErrors.TooManyRooms(limits.MaxRoomsPerUser),
            "full" => throw RoomErrors.RoomFull(room, limits.MaxMembersPerRoom),
            _ => throw RoomErrors.NotFound(room),
        };
    }

    public async Task<bool> LeaveAsync(string ns, string room, string user, CancellationToken cancellationToken = default)
    {
        var reply = await redis.EvaluateAsync(RedisScripts.RoomLeave, [Keys.Base(ns), room, user], cancellationToken);
        return reply.Resp2Type == ResultType.Integer ? (long)reply == 1 : throw RoomErrors.NotFound(room);
    }

    public async Task<RoomInfo?> GetAsync(string ns, string room, CancellationToken cancellationToken = default)
    {
        var reply = await redis.RunAsync(db => db.HashGetAsync(Keys.Room(ns, room), ["owner", "created"]), cancellationToken);
        return reply[0].IsNull ? null : Info(room, (string?)reply[0], (string?)reply[1]);
    }

    public async Task<IReadOnlyList<RoomInfo>> ListAsync(string ns, CancellationToken cancellationToken = default)
    {
        var reply = await redis.EvaluateAsync(RedisScripts.RoomList, [Keys.Base(ns)], cancellationToken);
        var rooms = new List<RoomInfo>(reply.Length / 3);
        for (var i = 0; i + 2 < reply.Length; i += 3)
        {
            rooms.Add(Info((string)reply[i]!, reply[i + 1], reply[i + 2]));
        }
        return [.. rooms.OrderBy(r => r.Name, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<string>> GetMembersAsync(string ns, string room, CancellationToken cancellationToken = default)
    {
        var reply = await redis.EvaluateAsync(RedisScripts.RoomMembers, [Keys.Base(ns), room], cancellationToken);
        return (string?)reply[0] == "ok" ? [.. Strings(reply, 1).Order(StringComparer.Ordinal)] : throw RoomErrors.NotFound(room);
    }

    public async Task<IReadOnlyList<string>> GetRoomsOfUserAsync(string ns, string user, CancellationToken cancellationToken = default)
    {
        var rooms = await redis.RunAsync(db => db.SetMembersAsync(Keys.UserRooms(ns, user)), cancellationToken);
        return [.. rooms.Select(r => (string)r!).Order(StringComparer.Ordinal)];
    }

    private static RoomInfo Info(string room, RedisResult owner, RedisResult created) => Info(room, (string?)owner, (string?)created);

    private static RoomInfo Info(string room, string? owner, string? created) =>
        new(room, owner!, DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(created!, CultureInfo.InvariantCulture)));

    private static List<string> Strings(RedisResult array, int from)
    {
        var list = new List<string>(Math.Max(0, array.Length - from));
        for (var i = from; i < array.Length; i++)
        {
            list.Add((string)array[i]!);
        }
        return list;
    }
}
