using Hub.Server.Delivery;

namespace Hub.Server.Storage.InMemory;

/// <summary>One device of a user: its epoch, when it was first and last seen, and its cursor per scope.</summary>
/// <param name="epoch">A new random value per device (and again when it is forgotten and comes back).</param>
/// <param name="since">
/// Where its scopes start when it has no cursor: <c>0-0</c> for the user's first device (everything kept), else
/// <c>{first seen ms}-0</c> (what is stored from then on).
/// </param>
internal sealed class InMemoryDevice(string epoch, MessageId since)
{
    /// <summary>The device's epoch.</summary>
    public string Epoch { get; } = epoch;

    /// <summary>Where its scopes start when it has no cursor there.</summary>
    public MessageId Since { get; } = since;

    /// <summary>When it last connected or acknowledged.</summary>
    public DateTimeOffset LastSeen { get; set; }

    /// <summary>The last position it acknowledged, per scope.</summary>
    public Dictionary<DeliveryScope, MessageId> Cursors { get; } = [];
}
