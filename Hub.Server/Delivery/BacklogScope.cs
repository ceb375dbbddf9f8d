namespace Hub.Server.Delivery;

/// <summary>A scope of a device's backlog and where reading it starts.</summary>
/// <param name="Scope">The log.</param>
/// <param name="After">
/// Read past this position: the device's cursor, or, when it has none, the later of the moment the device was first
/// seen (<c>{ms}-0</c>) and the position the user joined the room at.
/// </param>
/// <param name="Acknowledged">
/// Whether <see cref="After"/> is the device's own cursor (it acknowledged up to there), so the store can count what
/// the bounds dropped since: entries between it and the first one kept.
/// </param>
public readonly record struct BacklogScope(DeliveryScope Scope, MessageId After, bool Acknowledged);
