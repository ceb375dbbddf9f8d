using System.Globalization;
using System.Text;
using Hub.Server.Delivery;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// Every Redis key and channel name Hub uses, built in this one place (the Lua scripts get a partition's base and
/// append the same suffixes). A room, a conversation and a user each live in one <b>partition</b>
/// (<see cref="PartitionOf"/>): with B = <c>{prefix}:{ns}:{p}:</c>, where <c>{p}</c> is the partition number in
/// literal braces (a Redis Cluster hash tag: only it is hashed, so every key and the channel of a partition share one
/// slot, and every script touches one slot):
/// <code>
/// room partition (r/{room})
/// B room:{room}           HASH    owner, created (unix ms), ms, seq: the room's last position {ms}-{seq};
///                                 read:{user}: the seq a member has read up to (MarkRead)
/// B members:{room}        SET     member users
/// B log:r/{room}          STREAM  the room's log, entry id = position, field b = body JSON (Delivery:RoomHistoryLength)
/// conversation partition (d/{a}/{b}, a &lt; b)
/// B dm:{a}/{b}            HASH    ms, seq: the conversation's last position; read:{a}, read:{b}: how far each has read
/// B log:d/{a}/{b}         STREAM  the conversation's log, as a room's
/// user partition (u/{user})
/// B user:{user}           HASH    ms, seq: the last position of the user's own stream
/// B log:u/{user}          STREAM  the user's own stream (notifications, broadcasts; Delivery:MaxPendingPerUser)
/// B user-rooms:{user}     HASH    room -> position the user joined at (its devices read the room from there)
/// B user-dms:{user}       SET     the user's conversations (a/b)
/// B owned:{user}          SET     rooms the user owns
/// B devices:{user}        HASH    device -> "{epoch}|{first seen ms}|{last seen ms}"
/// B cursors:{user}:{dev}  HASH    scope key (u, r/{room}, d/{a}/{b}) -> last acknowledged position
/// B conns:{user}          SET     live connection ids of the user (any node)
/// every partition
/// B online                SET     users of this partition with at least one live connection
/// B known                 SET     users of this partition that ever connected (audience of "all")
/// B counter               STRING  announcements made by this partition (+1 each)
/// B idem:{user}:{key}     STRING  "{ms}|{fingerprint}|{count}|{first}|{position}": a keyed send's result where it was
///                                 stored (in each partition it was stored in), TTL = idempotency window
/// B send-key:{user}:{key} STRING  "{ms}|{fingerprint}": the key's claim, in the sender's partition, TTL = the window
/// B live                  SCHANNEL (sharded) every message stored in this partition, with its recipients and counter
/// namespace
/// {prefix}:{ns}:room-names   ZSET    room names, all with score 0 so they sort by name (paged listing, namespace count)
/// {prefix}:{ns}:known-count  STRING  users that ever connected (Limits:MaxUsersPerNamespace), only touched by new users
/// node and store
/// {prefix}:nodes              SET     ids of live (or not yet reaped) nodes
/// {prefix}:node:{id}          STRING  a node's heartbeat, expiring unless renewed
/// {prefix}:node-conns:{id}    SET     "ns|user|connection" of every connection a node holds
/// {prefix}:node-report:{id}   STRING  a node's admin report (JSON: connections, throughput samples), expiring unless renewed
/// {prefix}:store-epoch        STRING  a random value the first node writes; a different one means Redis lost its data
/// {prefix}:partitions         STRING  Redis:Partitions, written by the first node; another value refuses to start
/// </code>
/// </summary>
/// <param name="prefix">The prefix every name starts with (<see cref="RedisOptions.Prefix"/>).</param>
/// <param name="partitions">How many partitions (<see cref="RedisOptions.Partitions"/>).</param>
public sealed class RedisKeys(string prefix, int partitions = 64)
{
    /// <summary>The prefix every name starts with.</summary>
    public string Prefix { get; } = prefix;

    /// <summary>How many partitions each namespace has.</summary>
    public int Partitions { get; } = partitions;

    /// <summary>
    /// The partition of a scope key (<c>r/{room}</c>, <c>d/{a}/{b}</c>, <c>u/{user}</c>): FNV-1a (32-bit) of its UTF-8
    /// bytes modulo <see cref="Partitions"/>. Stable across processes and versions: it decides where data lives.
    /// </summary>
    public int PartitionOf(string scopeKey)
    {
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(scopeKey) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(scopeKey, buffer)] : Encoding.UTF8.GetBytes(scopeKey);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash % (uint)Partitions);
    }

    /// <summary>The partition of a room.</summary>
    public int RoomPartition(string room) => PartitionOf("r/" + room);

    /// <summary>The partition of a user (its stream, rooms, devices, cursors, presence).</summary>
    public int UserPartition(string user) => PartitionOf("u/" + user);

    /// <summary>Start of every key of partition <paramref name="partition"/> of <paramref name="ns"/>: <c>{prefix}:{ns}:{p}:</c>.</summary>
    public string Base(string ns, int partition) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}:{ns}:{{{partition}}}:");

    /// <summary>The sharded channel that announces the messages stored in a partition.</summary>
    public string Live(string ns, int partition) => Base(ns, partition) + "live";

    /// <summary>A partition's announcement counter (also what routes a script to the partition's slot).</summary>
    public string Counter(string ns, int partition) => Base(ns, partition) + "counter";

    /// <summary>The result of a keyed send by <paramref name="user"/> kept in <paramref name="partition"/> (user names have no ':').</summary>
    public string SendKey(string ns, int partition, string user, string key) => Base(ns, partition) + "idem:" + user + ":" + key;

    /// <summary>The claim of an idempotency key by <paramref name="user"/>, in the user's partition.</summary>
    public string SendKeyClaim(string ns, string user, string key) => Base(ns, UserPartition(user)) + "send-key:" + user + ":" + key;

    /// <summary>A room's metadata and last position.</summary>
    public string Room(string ns, string room) => Base(ns, RoomPartition(room)) + "room:" + room;

    /// <summary>A room's members.</summary>
    public string Members(string ns, string room) => Base(ns, RoomPartition(room)) + "members:" + room;

    /// <summary>A user's rooms, with the position each was joined at.</summary>
    public string UserRooms(string ns, string user) => Base(ns, UserPartition(user)) + "user-rooms:" + user;

    /// <summary>A conversation's last position and read positions (<paramref name="conversation"/> is <c>{a}/{b}</c>, a &lt; b).</summary>
    public string Conversation(string ns, string conversation) => Base(ns, PartitionOf("d/" + conversation)) + "dm:" + conversation;

    /// <summary>A user's conversations (each <c>{a}/{b}</c>).</summary>
    public string UserConversations(string ns, string user) => Base(ns, UserPartition(user)) + "user-dms:" + user;

    /// <summary>A user's devices.</summary>
    public string Devices(string ns, string user) => Base(ns, UserPartition(user)) + "devices:" + user;

    /// <summary>The partition of <paramref name="scope"/> as <paramref name="user"/> reads it (its own stream is in its partition).</summary>
    public int ScopePartition(DeliveryScope scope, string user) =>
        scope.Kind == DeliveryScopeKind.User ? UserPartition(user) : PartitionOf(scope.Key);

    /// <summary>The log of a room or conversation.</summary>
    public string Log(string ns, DeliveryScope scope) => Base(ns, PartitionOf(scope.Key)) + "log:" + scope.Key;

    /// <summary>A user's live connections.</summary>
    public string Connections(string ns, string user) => Base(ns, UserPartition(user)) + "conns:" + user;

    /// <summary>The online users of <paramref name="user"/>'s partition.</summary>
    public string Online(string ns, string user) => Base(ns, UserPartition(user)) + "online";

    /// <summary>The known users of <paramref name="partition"/>.</summary>
    public string Known(string ns, int partition) => Base(ns, partition) + "known";

    /// <summary>The namespace's room names (a sorted set, all scores 0).</summary>
    public string RoomNames(string ns) => $"{Prefix}:{ns}:room-names";

    /// <summary>How many users ever connected to the namespace.</summary>
    public string KnownCount(string ns) => $"{Prefix}:{ns}:known-count";

    /// <summary>The set of node ids.</summary>
    public string Nodes => $"{Prefix}:nodes";

    /// <summary>A node's heartbeat key.</summary>
    public string Node(string node) => $"{Prefix}:node:{node}";

    /// <summary>A node's admin report.</summary>
    public string NodeReport(string node) => $"{Prefix}:node-report:{node}";

    /// <summary>The connections a node holds.</summary>
    public string NodeConnections(string node) => $"{Prefix}:node-conns:{node}";

    /// <summary>The store's epoch: set once, so a node that finds another value (or none) knows Redis lost its data.</summary>
    public string StoreEpoch => $"{Prefix}:store-epoch";

    /// <summary>The partition count the data was written with.</summary>
    public string PartitionCount => $"{Prefix}:partitions";

    /// <summary>Prefix of every backplane channel (SignalR's Redis backplane adds the hub and the channel kind).</summary>
    public string BackplanePrefix => $"{Prefix}:backplane:";
}
