namespace Hub.Server.Admin;

/// <summary>What a node (or, summed, the cluster) did during one sample interval.</summary>
/// <param name="At">Start of the interval, in unix seconds, rounded down to the interval so nodes' samples line up.</param>
/// <param name="Stored">Messages stored (<c>hub.messages.stored</c>).</param>
/// <param name="Delivered">Messages handed to connections, live or redelivered (<c>hub.deliveries</c>).</param>
/// <param name="Resumes">Connections whose queue was redelivered (<c>hub.resumes</c>).</param>
public sealed record ThroughputSample(long At, long Stored, long Delivered, long Resumes);
