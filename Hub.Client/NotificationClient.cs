using Hub.Contracts;

namespace Hub.Client;

/// <summary>
/// Client of the notifications namespace (<see cref="HubPaths.Notifications"/>): it joins and leaves topics and
/// receives notifications through <see cref="HubClientBase.MessageReceived"/>; only the HTTP API sends.
/// </summary>
public sealed class NotificationClient : HubClientBase
{
    /// <summary>Creates a notification client; call <see cref="HubClientBase.StartAsync"/> to connect.</summary>
    /// <param name="baseUrl">The server's base URL, e.g. <c>http://127.0.0.1:5000</c> (http, https, ws or wss; anything else is refused with <see cref="ArgumentException"/>).</param>
    /// <param name="options">Settings; <c>null</c> for the defaults.</param>
    public NotificationClient(Uri baseUrl, HubClientOptions? options = null)
        : base(baseUrl, HubPaths.Notifications, HubEvents.Notification, options)
    {
    }

    /// <summary>Creates a notification client; call <see cref="HubClientBase.StartAsync"/> to connect.</summary>
    /// <param name="baseUrl">The server's base URL, e.g. <c>http://127.0.0.1:5000</c> (http, https, ws or wss; anything else is refused with <see cref="ArgumentException"/>).</param>
    /// <param name="options">Settings; <c>null</c> for the defaults.</param>
    public NotificationClient(string baseUrl, HubClientOptions? options = null)
        : this(ParseBaseUrl(baseUrl), options)
    {
    }
}
