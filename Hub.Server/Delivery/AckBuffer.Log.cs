namespace Hub.Server.Delivery;

public sealed partial class AckBuffer
{
    private static partial class Log
    {
        [LoggerMessage(120, LogLevel.Warning, "Writing {Count} acknowledged positions of {User} in {Ns} failed; they are kept for the next write.")]
        public static partial void AckWriteFailed(ILogger logger, string ns, string user, int count, Exception exception);
    }
}
