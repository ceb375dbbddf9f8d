using System.Globalization;
using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Rooms;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Rooms in Redis (cluster mode). A room's keys live in the room's partition, a user's rooms (with the position each
/// was joined at) and owned rooms in the user's partition, the room names in a namespace key: a change touching several
/// is one script per slot, in an order whose interruption leaves a state the rest tolerates (a member without its
/// entry in the user's rooms still receives live messages, and reads a room it is no longer a member of as empty).
/// Bounds are reserved before what they bound is written, and given back when a later step refuses.
/// </summary>
internal sealed partial class RedisRoomStore(RedisStoreConnection redis, TimeProvider time) : IRoomStore
{
    private RedisKeys Keys => redis.Keys;

    public async Task<RoomInfo> CreateAsync(string ns, string room, string owner, RoomLimits limits, bool isPrivate = false, CancellationToken cancellationToken = default)
    {
        // Refusing an existing room first, as one script did: "exists" before any bound of the owner.
        if (await redis.RunAsync(db => db.KeyExistsAsync(Keys.Room(ns, room)), cancellationToken))
        {
            throw RoomErrors.Exists(room);
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        switch (await AddToUserAsync(ns, owner, room, "0-0", limits, owns: true, cancellationToken))
        {
            case "toomany": throw RoomErrors.TooManyRooms(limits.MaxRoomsPerUser);
            case "owned": throw RoomErrors.TooManyOwned(limits.MaxOwnedRoomsPerUser);
        }
        var named = (string?)await redis.EvaluateAsync(RedisScripts.RoomNameAdd, Keys.RoomNames(ns), [room, limits.MaxRoomsPerNamespace], cancellationToken);
        if (named != "ok")
        {
            await RemoveFromUserAsync(ns, owner, room, disown: true, cancellationToken);
            throw named == "exists" ? RoomErrors.Exists(room) : RoomErrors.NamespaceFull(limits.MaxRoomsPerNamespace);
        }
        var created = (string?)await redis.EvaluateAsync(RedisScripts.RoomCreate, Keys.Room(ns, room),
            [Keys.Base(ns, Keys.RoomPartition(room)), room, owner, now, isPrivate ? 1 : 0], cancellationToken);
        if (created != "ok")
        {
            await redis.RunAsync(db => db.SortedSetRemoveAsync(Keys.RoomNames(ns), room), cancellationToken);
            await RemoveFromUserAsync(ns, owner, room, disown: true, cancellationToken);
            throw RoomErrors.Exists(room);
        }
        return new RoomInfo(room, owner, DateTimeOffset.FromUnixTimeMilliseconds(now), isPrivate);
    }

    public async Task<IReadOnlyList<string>> DeleteAsync(string ns, string room, string user, CancellationToken cancellationToken = default)
    {
        var reply = await redis.EvaluateAsync(RedisScripts.RoomDelete, Keys.Room(ns, room), [Keys.Base(ns, Keys.RoomPartition(room)), room, user], cancellationToken);
        switch ((string?)reply[0])
        {
            case "notowner": throw RoomErrors.NotOwner(room);
            case "notfound": throw RoomErrors.NotFound(room);
        }
        var members = Strings(reply, 1);
        // The room is gone: now each member's own entry, one call per member (their partitions), concurrently; the
        // owner gives back one of its owned rooms whether or not it is still a member.
        await Task.WhenAll(members.Append(user).Distinct(StringComparer.Ordinal)
            .Select(m => RemoveFromUserAsync(ns, m, room, disown: m == user, cancellationToken))
            .Append(redis.RunAsync(db => db.SortedSetRemoveAsync(Keys.RoomNames(ns), room), cancellationToken)));
        return members;
    }

    public async Task<JoinResult> JoinAsync(string ns, string room, string user, RoomLimits limits, bool createIfMissing, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            // Members first (the room's partition), then the user's entry: interrupted between, the user is a member
            // whose devices do not read the room's backlog yet (live messages reach it); joining again completes it.
            var reply = await redis.EvaluateAsync(RedisScripts.RoomJoin, Keys.Room(ns, room),
                [Keys.Base(ns, Keys.RoomPartition(room)), room, user, limits.MaxMembersPerRoom], cancellationToken);
            switch ((string?)reply[0])
            {
                case "full": throw RoomErrors.RoomFull(room, limits.MaxMembersPerRoom);
                case "notfound" when !createIfMissing: throw RoomErrors.NotFound(room);
                case "private": throw RoomErrors.NotFound(room); // not invited: as if it did not exist
                case "notfound":
                    try
                    {
                        var info = await CreateAsync(ns, room, user, limits, isPrivate: false, cancellationToken);
                        return new JoinResult(info, true, [user]);
                    }
                    catch (HubRequestException ex) when (ex.Message == RoomErrors.Exists(room).Message)
                    {
                        continue; // created by someone else meanwhile: join it
                    }
            }
            var added = (long)reply[3] == 1;
            var entry = await AddToUserAsync(ns, user, room, (string)reply[4]!, limits, owns: false, cancellationToken);
            if (entry == "toomany")
            {
                if (added)
                {
                    await redis.EvaluateAsync(RedisScripts.RoomLeave, Keys.Room(ns, room), [Keys.Base(ns, Keys.RoomPartition(room)), room, user], cancellationToken);
                }
                throw RoomErrors.TooManyRooms(limits.MaxRoomsPerUser);
            }
            var members = Strings(reply, 6);
            return new JoinResult(Info(room, (string?)reply[1], (string?)reply[2], (long)reply[5] == 1), added, [.. members.Order(StringComparer.Ordinal)]);
        }
    }

    public async Task<bool> LeaveAsync(string ns, string room, string user, CancellationToken cancellationToken = default)
    {
        // The user's entry first: interrupted between, the user is still a member that reads the room as empty.
        await RemoveFromUserAsync(ns, user, room, disown: false, cancellationToken);
        var reply = await redis.EvaluateAsync(RedisScripts.RoomLeave, Keys.Room(ns, room), [Keys.Base(ns, Keys.RoomPartition(room)), room, user], cancellationToken);
        return reply.Resp2Type == ResultType.Integer ? (long)reply == 1 : throw RoomErrors.NotFound(room);
    }

    public async Task<RoomInfo?> GetAsync(string ns, string room, CancellationToken cancellationToken = default)
    {
        var reply = await redis.RunAsync(db => db.HashGetAsync(Keys.Room(ns, room), InfoFields), cancellationToken);
        return reply[0].IsNull ? null : Info(room, (string?)reply[0], (string?)reply[1], reply[2] == "1");
    }

    public async Task<RoomPage> ListAsync(string ns, string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        // Names sort by byte (ordinal), as Redis orders members with equal scores. Each room's hash is in its own
        // partition, so they are read with one pipelined command each.
        var names = await redis.RunAsync(db => db.SortedSetRangeByValueAsync(Keys.RoomNames(ns), after is null ? RedisValue.Null : (RedisValue)after, RedisValue.Null,
            after is null ? Exclude.None : Exclude.Start, Order.Ascending, 0, limit + 1), cancellationToken);
        var page = names.Take(limit).Select(n => (string)n!).ToList();
        var infos = await redis.RunAsync(db => Task.WhenAll(page.Select(n => db.HashGetAsync(Keys.Room(ns, n), InfoFields))), cancellationToken);
        var rooms = new List<RoomInfo>(page.Count);
        for (var i = 0; i < page.Count; i++)
        {
            if (!infos[i][0].IsNull)
            {
                rooms.Add(Info(page[i], (string?)infos[i][0], (string?)infos[i][1], infos[i][2] == "1"));
            }
        }
        // The cursor is the last name read, so a room deleted between the two reads does not end the listing early.
        return new RoomPage(rooms, names.Length > limit ? page[^1] : null);
    }

    public async Task<IReadOnlyList<string>> GetMembersAsync(string ns, string room, CancellationToken cancellationToken = default)
    {
        var reply = await redis.EvaluateAsync(RedisScripts.RoomMembers, Keys.Room(ns, room), [Keys.Base(ns, Keys.RoomPartition(room)), room], cancellationToken);
        return (string?)reply[0] == "ok" ? [.. Strings(reply, 1).Order(StringComparer.Ordinal)] : throw RoomErrors.NotFound(room);
    }

    public async Task<IReadOnlyList<string>> GetRoomsOfUserAsync(string ns, string user, CancellationToken cancellationToken = default)
    {
        var rooms = await redis.RunAsync(db => db.HashKeysAsync(Keys.UserRooms(ns, user)), cancellationToken);
        return [.. rooms.Select(r => (string)r!).Order(StringComparer.Ordinal)];
    }

    private async Task<string?> AddToUserAsync(string ns, string user, string room, string position, RoomLimits limits, bool owns, CancellationToken cancellationToken) =>
        (string?)await redis.EvaluateAsync(RedisScripts.UserRoomAdd, Keys.UserRooms(ns, user),
            [Keys.Base(ns, Keys.UserPartition(user)), user, room, position, limits.MaxRoomsPerUser, owns ? 1 : 0, limits.MaxOwnedRoomsPerUser], cancellationToken);

    private Task RemoveFromUserAsync(string ns, string user, string room, bool disown, CancellationToken cancellationToken) =>
        redis.EvaluateAsync(RedisScripts.UserRoomRemove, Keys.UserRooms(ns, user), [Keys.Base(ns, Keys.UserPartition(user)), user, room, disown ? 1 : 0], cancellationToken);

    // The room hash fields a RoomInfo is made of (a room created before private rooms existed has no 'private': public).
    private static readonly RedisValue[] InfoFields = ["owner", "created", "private"];

    private static RoomInfo Info(string room, string? owner, string? created, bool isPrivate) =>
        new(room, owner!, DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(created!, CultureInfo.InvariantCulture)), isPrivate);

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
