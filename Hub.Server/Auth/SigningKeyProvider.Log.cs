namespace Hub.Server.Auth;

public sealed partial class SigningKeyProvider
{
    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Warning, "No Auth:SigningKey configured: using a random key, so tokens are valid only for this process. Set Auth:SigningKey (shared by every node) in production.")]
        public static partial void RandomKey(ILogger logger);
    }
}
