namespace Microsoft.Extensions.DependencyInjection;

public static partial class AuthServiceCollectionExtensions
{
    /// <summary>Log messages of authentication, in category <see cref="Category"/>.</summary>
    internal static partial class Log
    {
        /// <summary>The category (JwtBearer's own lines sit under <c>Microsoft.AspNetCore</c>, which production logs only from Warning).</summary>
        public const string Category = "Hub.Server.Auth";

        [LoggerMessage(610, LogLevel.Information, "Refused a token: {Reason}")]
        public static partial void RefusedToken(ILogger logger, string reason);
    }
}
