namespace Hub.Server.Limits;

/// <summary>Bounds on what one client may ask of the service. Bound from the <c>Limits</c> section.</summary>
public sealed class LimitsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Limits";

    /// <summary>Longest message text, in UTF-8 bytes. Default 4096 (4 KiB).</summary>
    public int MaxTextBytes { get; set; } = 4096;

    /// <summary>How many rooms one user may be a member of, per namespace. Default 100.</summary>
    public int MaxRoomsPerUser { get; set; } = 100;

    /// <summary>How many members one room may have. Default 1000.</summary>
    public int MaxMembersPerRoom { get; set; } = 1000;

    /// <summary>How many rooms one <c>SendToRooms</c> call may name. Default 20.</summary>
    public int MaxRoomsPerSend { get; set; } = 20;

    /// <summary>SignalR's limit on one incoming hub message, in bytes. Default 32768 (SignalR's own default).</summary>
    public long MaximumReceiveMessageSize { get; set; } = 32 * 1024;

    /// <summary>Sustained sends per second allowed per connection (token bucket refill rate). Default 20.</summary>
    public double SendsPerSecond { get; set; } = 20;

    /// <summary>Burst of sends allowed per connection (token bucket size). Default 40.</summary>
    public int SendBurst { get; set; } = 40;

    /// <summary>Most ids one <c>Ack</c> call may carry. Default 1000.</summary>
    public int MaxAckIds { get; set; } = 1000;

    /// <summary>Most messages one <c>GetHistory</c> call returns. Default 200.</summary>
    public int MaxHistoryPage { get; set; } = 200;

    /// <summary>Most users one notification may name in <c>to.users</c>. Default 1000.</summary>
    public int MaxNotificationUsers { get; set; } = 1000;

    /// <summary>Largest notification request body, in bytes. Default 65536.</summary>
    public int MaxNotificationBytes { get; set; } = 64 * 1024;
}
