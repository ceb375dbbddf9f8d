using System.Diagnostics;
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
/// <param name="RecipientsMustBeKnown">
/// Refuse unless every user of a <see cref="DeliveryTarget.Users"/> target has connected to the namespace at least
/// once (checked atomically), so messages to made-up names cannot fill the store.
/// </param>
/// <param name="Key">
/// Idempotency key (<see cref="SendKeys"/>), or <c>null</c>. A second append with the same key from the same sender
/// within <see cref="DeliveryOptions.IdempotencyWindow"/> stores nothing and returns the first result.
/// </param>
/// <param name="Trace">
/// The trace of the send (its <c>hub.send</c> activity), or <c>default</c> when nobody traces: stored with the
/// announcement so every node's <c>hub.dispatch</c> joins it.
/// </param>
public sealed record OutgoingMessage(
    string Ns,
    string From,
    DeliveryTarget Target,
    string? To = null,
    string? Text = null,
    string? Type = null,
    JsonElement? Payload = null,
    bool SenderMustBeMember = false,
    bool RecipientsMustBeKnown = false,
    string? Key = null,
    ActivityContext Trace = default)
{
    /// <summary>What the message says, as its envelope will show it (the room only when it goes to one room).</summary>
    public EnvelopeBody Body => new(Ns, Target.Rooms is { Count: 1 } rooms ? rooms[0] : null, From, To, Text, Type, Payload);
}
