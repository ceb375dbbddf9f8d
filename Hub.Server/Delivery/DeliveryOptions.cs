using System.ComponentModel.DataAnnotations;

namespace Hub.Server.Delivery;

/// <summary>Durable delivery settings. Bound from the <c>Delivery</c> section.</summary>
public sealed class DeliveryOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Delivery";

    /// <summary>Most entries one user's pending queue keeps; older entries are dropped and counted. Default 10,000.</summary>
    [Range(1, int.MaxValue)]
    public int MaxPendingPerUser { get; set; } = 10_000;

    /// <summary>Oldest entry a pending queue keeps; older entries are dropped and counted. Default 7 days.</summary>
    public TimeSpan MaxPendingAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Messages each room keeps for <c>GetHistory</c>. Default 1000.</summary>
    [Range(1, int.MaxValue)]
    public int RoomHistoryLength { get; set; } = 1000;

    /// <summary>Pending entries read per store call while redelivering at connect. Default 500.</summary>
    [Range(1, 100_000)]
    public int RedeliveryPageSize { get; set; } = 500;

    /// <summary>
    /// How long one live send may wait on a slow connection before it is given up; the connection is then
    /// aborted and the message stays pending, to be redelivered when the client reconnects. Default 10 s.
    /// </summary>
    public TimeSpan LiveSendTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
