namespace Hub.Server.Delivery;

/// <summary>State of a user's pending queue when a connection opens it.</summary>
/// <param name="Epoch">Changes whenever the queue's data was lost (store flushed, process restarted in memory mode).</param>
/// <param name="Dropped">Entries the bounds dropped since the queue was last opened; reading resets it.</param>
public readonly record struct QueueInfo(string Epoch, long Dropped);
