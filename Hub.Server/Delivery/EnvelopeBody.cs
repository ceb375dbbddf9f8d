using System.Text.Json;
using Hub.Contracts;

namespace Hub.Server.Delivery;

/// <summary>
/// What a message says, before the store numbers it: an <see cref="Envelope"/> without its id, time and room sequence
/// numbers. <see cref="ToEnvelope"/> is the one place an envelope is made; Redis keeps the body as the entry's JSON.
/// </summary>
/// <param name="Ns">Namespace name.</param>
/// <param name="Room">The room of a message to one room; <c>null</c> otherwise.</param>
/// <param name="From">Sender.</param>
/// <param name="To">The addressed user of a direct message.</param>
/// <param name="Text">Chat text.</param>
/// <param name="Type">Notification type.</param>
/// <param name="Payload">Notification payload.</param>
public sealed record EnvelopeBody(string Ns, string? Room, string From, string? To, string? Text, string? Type, JsonElement? Payload)
{
    /// <summary>The message as stored under <paramref name="id"/>, sent at the id's time, with its room sequence numbers.</summary>
    /// <param name="id">The id the store gave it.</param>
    /// <param name="seq">The room's sequence number, for a message to one room.</param>
    /// <param name="rooms">Each room's sequence number, for a message to several rooms.</param>
    public Envelope ToEnvelope(MessageId id, long? seq, IReadOnlyDictionary<string, long>? rooms) =>
        new(id.ToString(), Ns, Room, From, To, Text, DateTimeOffset.FromUnixTimeMilliseconds(id.Milliseconds), seq, Redelivered: false, rooms, Type, Payload);
}
