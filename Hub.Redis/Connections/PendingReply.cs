namespace Hub.Redis.Connections;

/// <summary>One expected reply in a connection's FIFO: which sink gets it, and at which position.</summary>
/// <param name="Sink">The caller waiting for the reply.</param>
/// <param name="Index">The reply's position within the sink (the command's position in a batch).</param>
internal readonly record struct PendingReply(ReplySink Sink, int Index);
