namespace Hub.Server.Delivery;

public sealed partial class DeliveryDispatcher<THub>
{
    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Debug, "Resumed {User} ({ConnectionId}) in {Ns}: {Redelivered} redelivered, {Dropped} dropped.")]
        public static partial void Resumed(ILogger logger, string ns, string user, string connectionId, int redelivered, long dropped);

        [LoggerMessage(102, LogLevel.Warning, "Redelivery to {User} ({ConnectionId}) in {Ns} failed; closing the connection so the client retries.")]
        public static partial void ResumeFailed(ILogger logger, string ns, string user, string connectionId, Exception exception);

        [LoggerMessage(103, LogLevel.Warning, "Store announcements of {Ns} may have been missed; closed {Count} connections so they resume from their queues.")]
        public static partial void GapRecovered(ILogger logger, string ns, int count);

        [LoggerMessage(104, LogLevel.Warning, "Store announcements of {Ns} jumped from {Last} to {Next} (missed, or the store lost its data); closed {Count} connections before delivering more, so they resume from their queues in order.")]
        public static partial void AnnouncementsOutOfSequence(ILogger logger, string ns, long last, long next, int count);
    }
}
