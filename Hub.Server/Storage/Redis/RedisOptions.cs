namespace Hub.Server.Storage.Redis;

/// <summary>Cluster mode. Bound from the <c>Redis</c> section; an empty <see cref="Configuration"/> means embedded mode.</summary>
public sealed class RedisOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Redis";

    /// <summary>
    /// StackExchange.Redis connection string, e.g. <c>127.0.0.1:6379,user=hub,password=...,ssl=true,defaultDatabase=2</c>.
    /// Setting it switches Hub to cluster mode: rooms, presence, queues and the backplane live in Redis. Empty:
    /// embedded mode. The server always connects in the background (as <c>abortConnect=false</c>), so it starts while
    /// Redis is down; an option StackExchange.Redis does not know stops the node at start.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// Path of a PEM or DER certificate of the authority that issued the Redis server's TLS certificate, for a private
    /// CA the machine does not trust (a connection string cannot carry a certificate). Empty: the system's trust store.
    /// </summary>
    public string? TrustedCaCertificate { get; set; }

    /// <summary>Prefix of every key and channel, so several deployments can share one Redis. Default <c>hub</c>.</summary>
    public string Prefix { get; set; } = "hub";

    /// <summary>
    /// How long a Redis command may go unanswered before the caller gets an error. Default 2 s (StackExchange.Redis's
    /// own default is 5 s): while Redis is frozen (paused, swapping, a long script), sends fail within this instead of
    /// hanging. It replaces <c>syncTimeout</c> and <c>asyncTimeout</c> in <see cref="Configuration"/>. A send that
    /// timed out after its script was written to Redis may still have been stored: its sender is told the outcome is
    /// unknown and retries with the same idempotency key.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often each node checks that its backplane subscription still receives messages. Default 5 s.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a probe may take to come back before the node resubscribes and reports not ready. Default 3 s.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a node may miss its heartbeat (renewed every third of this) before other nodes treat it as dead and
    /// reap its connections from presence. Default 15 s.
    /// </summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How many partitions the keys of each namespace are spread over (1 to 1024). Default 64. Every key of a room, a
    /// conversation or a user lives in the partition of its name (a hash tag, so one Redis Cluster slot), and each
    /// partition has its own live channel: more partitions spread a namespace over more Redis masters. Fixed for the
    /// life of the data: Redis records it at first start, and a node configured with another value refuses to start
    /// (changing it would orphan every key).
    /// </summary>
    public int Partitions { get; set; } = 64;

    /// <summary>
    /// How many replicas must have a stored message before its sender gets the result (Redis <c>WAIT</c>, up to
    /// <see cref="CommandTimeout"/>). Default 0: a single Redis has none. With 1 or more, a message acknowledged to its
    /// sender survives the failover of its master; fewer replicas in time fail the send with "Store unavailable, retry."
    /// (a retry with the same idempotency key is safe).
    /// </summary>
    public int WaitForReplicas { get; set; }

    /// <summary>
    /// Most entries of each of the node's caches of facts that never become false while the data lives (users known to
    /// a namespace, conversations registered with their parties), which keep a direct message to one script. Default
    /// 100,000; emptied when full and when Redis loses its data.
    /// </summary>
    public int NodeCacheSize { get; set; } = 100_000;

    /// <summary>Whether cluster mode is on.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
