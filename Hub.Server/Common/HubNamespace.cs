using Hub.Contracts;

namespace Hub.Server.Common;

/// <summary>What distinguishes one namespace (hub) from another; the room and delivery logic is shared.</summary>
/// <param name="Name">Name stored with rooms and queues, and shown in <see cref="Envelope.Ns"/>.</param>
/// <param name="Path">URL path of the hub.</param>
/// <param name="MessageEvent">Client event that carries an <see cref="Envelope"/>.</param>
/// <param name="AutoCreateRooms">Whether joining an unknown room creates it (topics of the notifications namespace).</param>
public sealed record HubNamespace(string Name, string Path, string MessageEvent, bool AutoCreateRooms)
{
    /// <summary>The chat namespace.</summary>
    public static HubNamespace Chat { get; } = new("chat", HubPaths.Chat, HubEvents.Message, AutoCreateRooms: false);

    /// <summary>The notifications namespace: topics are created by joining them; only the HTTP API sends.</summary>
    public static HubNamespace Notifications { get; } = new("notifications", HubPaths.Notifications, HubEvents.Notification, AutoCreateRooms: true);

    /// <summary>
    /// The client event that carries <paramref name="envelope"/>: <see cref="MessageEvent"/> for a message,
    /// <c>MessageEdited</c> or <c>MessageDeleted</c> for an edit entry of a room's log (one with a <see cref="Envelope.TargetId"/>).
    /// </summary>
    public string EventOf(Envelope envelope) =>
        envelope.TargetId is null ? MessageEvent : envelope.Deleted ? HubEvents.MessageDeleted : HubEvents.MessageEdited;
}
