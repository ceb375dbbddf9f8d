namespace Hub.Server.Admin;

/// <summary>
/// The operators' admin page (<c>/admin</c>) and its data (<c>GET /admin/api/overview</c>). Bound from the
/// <c>Admin</c> section. Every scan the overview makes is capped here, and one overview serves every caller for
/// <see cref="CacheDuration"/>, so a busy page (or many) costs the store a bounded amount of work.
/// </summary>
public sealed class AdminOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Admin";

    /// <summary>
    /// The operator key (16+ characters): a request with this value in <c>X-Api-Key</c> may read the overview. No
    /// default: without one (unset or empty), only a token with the <see cref="Role"/> role (claim <c>Auth:RoleClaim</c>) may.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The role (in the token's <c>Auth:RoleClaim</c> claim) that may read the overview. Default <c>admin</c>.</summary>
    public string Role { get; set; } = "admin";

    /// <summary>How often each node samples its counters (stored, delivered, resumes) and reports them. Default 5 s.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How far back the throughput samples and the room message rates reach. Default 10 minutes.</summary>
    public TimeSpan SampleWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>One overview answers every request for this long before the next is computed. Default 2 s.</summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>At most this many nodes are listed. Default 100.</summary>
    public int MaxNodes { get; set; } = 100;

    /// <summary>At most this many rooms per namespace are read (the first by name). Default 1000.</summary>
    public int MaxRoomsScanned { get; set; } = 1000;

    /// <summary>The busiest rooms (by message rate, then members) listed per namespace. Default 20.</summary>
    public int TopRooms { get; set; } = 20;

    /// <summary>At most this many users' pending queues are measured per namespace. Default 10000.</summary>
    public int MaxQueuesScanned { get; set; } = 10_000;

    /// <summary>Queue lengths asked of Redis in one pipelined batch. Default 500.</summary>
    public int QueueScanBatch { get; set; } = 500;

    /// <summary>
    /// How often each node measures pending depth for the <c>hub.pending.*</c> gauges (up to
    /// <see cref="MaxQueuesScanned"/> users per namespace, as the admin page does); <c>00:00:00</c> turns it off.
    /// Default 1 minute.
    /// </summary>
    public TimeSpan PendingSampleInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The users with the deepest pending queues listed per namespace. Default 20.</summary>
    public int TopQueues { get; set; } = 20;
}
