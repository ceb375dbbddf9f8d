namespace Hub.Server.Delivery.Outbound;

/// <summary>Why the dispatcher closed a connection (all but the last: for being slow).</summary>
internal enum SlowConnectionReason
{
    /// <summary>Its outbound queue (<c>Delivery:OutboundQueueMessages</c>/<c>OutboundQueueBytes</c>) was full.</summary>
    QueueFull,

    /// <summary>The live messages held back while its backlog was redelivered exceeded the same bound.</summary>
    ResumeBufferFull,

    /// <summary>One write did not complete within <c>Delivery:LiveSendTimeout</c>.</summary>
    WriteTimeout,

    /// <summary>A write failed unexpectedly.</summary>
    WriteFailed,
}
