namespace Hub.Server.Auth;

public static partial class DevTokenEndpoints
{
    private static partial class Log
    {
        [LoggerMessage(201, LogLevel.Warning, "Auth:DevTokens is on in the {Environment} environment: POST /api/token gives anyone a token for any user name. Turn it off (Auth:DevTokens=false) unless this node is for trying Hub out.")]
        public static partial void DevTokensOutsideDevelopment(ILogger logger, string environment);
    }
}
