namespace Hub.Server.Storage.Redis;

/// <summary>
/// Every Redis key and channel name Hub uses, built in this one place (the Lua scripts get <see cref="Base"/> and
/// append the same suffixes). Layout, with B = <c>{prefix}:{ns}:</c>:
/// <code>
/// B room-names         ZSET    room names, all with score 0 so they sort by name (paged listing, namespace count)
/// B owned:{user}       SET     rooms a user owns
/// B rooms              SET     room names written by versions before room-names; indexed and removed on first use
/// B room:{room}        HASH    owner, created (unix ms), seq (last room sequence number)
/// B members:{room}     SET     member users
/// B history:{room}     STREAM  recent room messages, entry id = message id
/// B user-rooms:{user}  SET     rooms of a user
/// B conns:{user}       SET     live connection ids of a user (any node)
/// B online             SET     users with at least one live connection
/// B known              SET     users that ever connected (audience of "all")
/// B inbox:{user}       STREAM  the user's pending queue, entry id = message id, fields b (body JSON), s (seq)
/// B dropped:{user}     STRING  entries the bounds dropped since the queue was last opened
/// B epoch:{user}       STRING  the queue's epoch (recreated if the data was lost)
/// B last-id            HASH    ms, n: the last message id handed out
/// B idem:{user}:{key}  STRING  "{ms}|{fingerprint}|{id}|{recipients}|{seq}" of a keyed send, TTL = idempotency window
/// B deliveries         CHANNEL every stored message with its recipients, in store order
/// {prefix}:nodes              SET     ids of live (or not yet reaped) nodes
/// {prefix}:node:{id}          STRING  a node's heartbeat, expiring unless renewed
/// {prefix}:node-conns:{id}    SET     "ns|user|connection" of every connection a node holds
/// {prefix}:node-report:{id}   STRING  a node's admin report (JSON: connections, throughput samples), expiring unless renewed
/// {prefix}:store-epoch        STRING  a random value the first node writes; a different one means Redis lost its data
/// </code>
/// </summary>
public sealed class RedisKeys(string prefix)
{
    /// <summary>The prefix every name starts with.</summary>
    public string Prefix { get; } = prefix;

    /// <summary>Start of every key of namespace <paramref name="ns"/>.</summary>
    public string Base(string ns) => $"{Prefix}:{ns}:";

    /// <summary>The channel that announces stored messages of <paramref name="ns"/>.</summary>
    public string Deliveries(string ns) => Base(ns) + "deliveries";

    /// <summary>A user's pending queue.</summary>
    public string Inbox(string ns, string user) => Base(ns) + "inbox:" + user;

    /// <summary>A room's history.</summary>
    public string History(string ns, string room) => Base(ns) + "history:" + room;

    /// <summary>The record of a send by <paramref name="user"/> with idempotency key <paramref name="key"/> (user names have no ':').</summary>
    public string SendKey(string ns, string user, string key) => Base(ns) + "idem:" + user + ":" + key;

    /// <summary>The namespace's room names (a sorted set, all scores 0).</summary>
    public string RoomNames(string ns) => Base(ns) + "room-names";

    /// <summary>A room's members.</summary>
    public string Members(string ns, string room) => Base(ns) + "members:" + room;

    /// <summary>Every user that ever connected to the namespace.</summary>
    public string Known(string ns) => Base(ns) + "known";

    /// <summary>A room's metadata.</summary>
    public string Room(string ns, string room) => Base(ns) + "room:" + room;

    /// <summary>A user's rooms.</summary>
    public string UserRooms(string ns, string user) => Base(ns) + "user-rooms:" + user;

    /// <summary>A user's live connections.</summary>
    public string Connections(string ns, string user) => Base(ns) + "conns:" + user;

    /// <summary>Online users.</summary>
    public string Online(string ns) => Base(ns) + "online";

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

    /// <summary>Prefix of every backplane channel (SignalR's Redis backplane adds the hub and the channel kind).</summary>
    public string BackplanePrefix => $"{Prefix}:backplane:";
}
