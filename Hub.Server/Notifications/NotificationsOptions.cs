namespace Hub.Server.Notifications;

/// <summary>The notification API. Bound from the <c>Notifications</c> section.</summary>
public sealed class NotificationsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Notifications";

    /// <summary>
    /// API keys by caller name, e.g. <c>Notifications__ApiKeys__billing=s3cret</c>. The caller name is the
    /// notification's <c>from</c>. With no keys, every call is refused (401).
    /// </summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);
}
