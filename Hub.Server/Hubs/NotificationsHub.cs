using Hub.Server.Common;

namespace Hub.Server.Hubs;

/// <summary>
/// The notifications namespace (<c>/hubs/notifications</c>): clients join and leave topics and receive
/// <c>Notification</c> events; only the HTTP API sends.
/// </summary>
public sealed class NotificationsHub(HubServices services) : NamespaceHub<NotificationsHub>(services), INamespaceHub
{
    /// <inheritdoc/>
    public static HubNamespace Namespace => HubNamespace.Notifications;
}
