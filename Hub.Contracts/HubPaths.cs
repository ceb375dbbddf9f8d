namespace Hub.Contracts;

/// <summary>The URL paths of Hub's namespaces (one SignalR hub each) and of its HTTP API.</summary>
public static class HubPaths
{
    /// <summary>The chat namespace: rooms, direct messages and broadcasts.</summary>
    public const string Chat = "/hubs/chat";

    /// <summary>The notifications namespace: topics that clients join; only the HTTP API sends.</summary>
    public const string Notifications = "/hubs/notifications";

    /// <summary>Development token endpoint: <c>POST {"user":"alice"}</c> returns <c>{"token":"..."}</c>.</summary>
    public const string Token = "/api/token";

    /// <summary>Notification API: <c>POST</c> a <see cref="NotificationRequest"/> with an <c>X-Api-Key</c> header.</summary>
    public const string NotificationsApi = "/api/notifications";

    /// <summary>
    /// Query-string parameter a reconnecting client uses to tell the server the queue epoch it last saw
    /// (from <see cref="ResumeInfo.Epoch"/>), so the server can say whether its history is intact.
    /// </summary>
    public const string EpochQueryParameter = "epoch";

    /// <summary>
    /// Query-string parameter naming the client's device: a stable id the client keeps (1-64 characters of letters,
    /// digits, <c>_ . -</c>). Delivery state is per device, so every device of a user gets every message; a client that
    /// names none is its user's one anonymous device.
    /// </summary>
    public const string DeviceQueryParameter = "device";
}
