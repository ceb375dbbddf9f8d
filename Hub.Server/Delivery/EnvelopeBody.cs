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
/// <param name="TargetId">For an edit entry of a room's log (<see cref="MessageEdit"/>): the id of the message edited or deleted.</param>
/// <param name="Deleted">For an edit entry: the message was deleted (<see cref="Text"/> is <c>null</c>).</param>
public sealed record EnvelopeBody(string Ns, string? Room, string From, string? To, string? Text, string? Type, JsonElement? Payload,
    string? TargetId = null, bool Deleted = false)
{
    /// <summary>
    /// The message as stored at <paramref name="at"/>, sent at its position's time. A room or conversation message
    /// carries its position's counter as <see cref="Envelope.Seq"/> (+1 per message there). An edit entry carries
    /// none (its position shares the counter of the message before it, see <see cref="MessageEdit"/>) and was made at
    /// its position's time (<see cref="Envelope.EditedAt"/>).
    /// </summary>
    /// <param name="at">Where the store put it.</param>
    public Envelope ToEnvelope(MessageRef at)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(at.Position.Milliseconds);
        var seq = at.Scope.Kind == DeliveryScopeKind.User || TargetId is not null ? (long?)null : at.Position.Counter;
        return new(at.ToString(), Ns, Room, From, To, Text, time, seq, Redelivered: false, Rooms: null, Type, Payload,
            TargetId, TargetId is null ? null : time, Deleted);
    }
}
