using System.Text.Json;

namespace Hub.Server.Delivery;

/// <summary>A message about to be stored and delivered. The store assigns its id, time and room sequence numbers.</summary>
/// <param name="Ns">Namespace name.</param>
/// <param name="From">Sender.</param>
/// <param name="Target">Recipients.</param>
/// <param name="To">The addressed user of a direct message (shown in the envelope).</param>
/// <param name="Text">Chat text.</param>
/// <param name="Type">Notification type.</param>
/// <param name="Payload">Notification payload.</param>
/// <param name="SenderMustBeMember">Refuse unless <paramref name="From"/> is a member of every target room (checked atomically).</param>
public sealed record OutgoingMessage(
    string Ns,
    string From,
    DeliveryTarget Target,
    string? To = null,
    string? Text = null,
    string? Type = null,
    JsonElement? Payload = null,
    bool SenderMustBeMember = false);
