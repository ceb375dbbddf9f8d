using System.Text.RegularExpressions;

namespace Hub.Server.Logging;

/// <summary>
/// Hides the value of <c>access_token</c> query parameters in text. Browsers cannot set headers on WebSockets, so
/// SignalR clients send their token in the URL, and ASP.NET Core logs request URLs (at Information) with the query.
/// </summary>
public static partial class AccessTokenRedaction
{
    /// <summary>What a token's value is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>True when <paramref name="text"/> holds an <c>access_token</c> parameter worth redacting.</summary>
    public static bool Applies(string? text) => text is not null && text.Contains("access_token=", StringComparison.OrdinalIgnoreCase);

    /// <summary><paramref name="text"/> with every <c>access_token=value</c> turned into <c>access_token=***</c>.</summary>
    public static string Redact(string text) => Applies(text) ? TokenValue().Replace(text, Mask) : text;

    // The value runs to the next '&', '#', whitespace or quote; URL-encoded or not, none of those occurs in a JWT.
    [GeneratedRegex(@"(?<=access_token=)[^&#\s""']+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenValue();
}
