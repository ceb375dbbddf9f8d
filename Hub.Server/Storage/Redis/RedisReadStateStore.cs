using System.Globalization;
using Hub.Server.Delivery;
using Hub.Server.ReadState;
using Hub.Server.Rooms;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Read positions in Redis (cluster mode): a field <c>read:{user}</c> of the room's or conversation's hash, beside the
/// last seq it is compared with, so marking read is one script in the scope's partition (<c>read_mark.lua</c>). Listing
/// a user's read states reads the user's index of rooms and conversations (the user's partition), then one script per
/// partition holding any of them (<c>read_states.lua</c>), concurrently: at most 2 + <c>Redis:Partitions</c> calls.
/// </summary>
internal sealed class RedisReadStateStore(RedisStoreConnection redis) : IReadStateStore
{
    private RedisKeys Keys => redis.Keys;

    public async Task<ReadMark> MarkReadAsync(string ns, string user, DeliveryScope scope, long seq, CancellationToken cancellationToken = default)
    {
        var room = scope.Kind == DeliveryScopeKind.Room;
        var hash = room ? Keys.Room(ns, scope.Name) : Keys.Conversation(ns, scope.Name);
        var reply = await redis.EvaluateAsync(RedisScripts.ReadMark, hash,
            [Keys.Base(ns, Keys.PartitionOf(scope.Key)), room ? "r" : "d", scope.Name, user, seq], cancellationToken);
        return (string?)reply[0] switch
        {
            "notfound" => throw (room ? RoomErrors.NotFound(scope.Name) : ReadStateErrors.NoConversation(scope.PeerOf(user))),
            "notmember" => throw RoomErrors.NotMember(scope.Name),
            var outcome => new ReadMark(scope, (long)reply[1], outcome == "moved"),
        };
    }

    public async Task<IReadOnlyList<ScopeReadState>> GetReadStatesAsync(string ns, string user, int maxConversations, CancellationToken cancellationToken = default)
    {
        var (rooms, conversations) = await redis.RunAsync(async db =>
        {
            var r = db.HashGetAllAsync(Keys.UserRooms(ns, user));
            var c = db.SetMembersAsync(Keys.UserConversations(ns, user));
            return (await r, await c);
        }, cancellationToken);
        // Where the user joined each room: what came before is not unread.
        var joined = new Dictionary<string, long>(StringComparer.Ordinal);
        var scopes = new List<DeliveryScope>(rooms.Length + conversations.Length);
        foreach (var entry in rooms)
        {
            var name = (string)entry.Name!;
            joined[name] = MessageId.TryParse((string?)entry.Value, out var at) ? at.Counter : 0;
            scopes.Add(DeliveryScope.Room(name));
        }
        scopes.AddRange(conversations.Select(c => new DeliveryScope(DeliveryScopeKind.Conversation, (string)c!)));

        var states = new ScopeReadState?[scopes.Count];
        await Task.WhenAll(Enumerable.Range(0, scopes.Count).GroupBy(i => Keys.PartitionOf(scopes[i].Key)).Select(async group =>
        {
            var args = new List<RedisValue> { Keys.Base(ns, group.Key), user };
            foreach (var i in group)
            {
                args.Add(scopes[i].Kind == DeliveryScopeKind.Room ? "r" : "d");
                args.Add(scopes[i].Name);
            }
            var reply = (RedisResult[])(await redis.EvaluateAsync(RedisScripts.ReadStates, Keys.Counter(ns, group.Key), [.. args], cancellationToken))!;
            var j = 0;
            foreach (var i in group)
            {
                var v = reply[j++];
                if ((int)v[0] == 1)
                {
                    var read = Math.Max((long)v[3], joined.GetValueOrDefault(scopes[i].Name));
                    states[i] = new ScopeReadState(scopes[i], (int)v[4] == 1, new MessageId((long)v[1], (long)v[2]), read);
                }
            }
        }));
        // A room whose hash is gone was deleted meanwhile; a conversation without one has no message yet.
        var found = states.OfType<ScopeReadState>().ToList();
        return [.. found.Where(s => s.Scope.Kind == DeliveryScopeKind.Room),
            .. found.Where(s => s.Scope.Kind == DeliveryScopeKind.Conversation).OrderByDescending(s => s.Last).Take(maxConversations)];
    }

    public async Task<IReadOnlyList<long>> GetReadSeqsAsync(string ns, string room, IReadOnlyList<string> users, CancellationToken cancellationToken = default)
    {
        if (users.Count == 0)
        {
            return [];
        }
        var values = await redis.RunAsync(db => db.HashGetAsync(Keys.Room(ns, room), [.. users.Select(u => (RedisValue)("read:" + u))]), cancellationToken);
        return [.. values.Select(v => v.IsNull ? 0 : long.Parse((string)v!, CultureInfo.InvariantCulture))];
    }
}
