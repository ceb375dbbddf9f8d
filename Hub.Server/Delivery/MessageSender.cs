using System.Text;
using System.Text.Json;
using Hub.Contracts;
using Hub.Server.Hubs;
using Hub.Server.Limits;
using Hub.Server.Rooms;
using Microsoft.Extensions.Options;

namespace Hub.Server.Delivery;

/// <summary>
/// Every way of sending, checked and turned into one <see cref="IDeliveryStore.AppendAsync"/> call. A result is
/// returned only after the store has the message in every recipient's queue.
/// </summary>
public sealed class MessageSender(IDeliveryStore store, IOptions<LimitsOptions> limits)
{
    private readonly LimitsOptions _limits = limits.Value;

    /// <summary>Sends to one room; the sender must be a member.</summary>
    public Task<SendResult> ToRoomAsync(HubNamespace ns, string from, string? room, string? text, CancellationToken cancellationToken = default) =>
        SendAsync(new OutgoingMessage(ns.Name, from, DeliveryTarget.ToRooms([Names.Room(room)]), Text: Text(text), SenderMustBeMember: true), cancellationToken);

    /// <summary>Sends one message to several rooms; the sender must be a member of each; a user in several gets it once.</summary>
    public Task<SendResult> ToRoomsAsync(HubNamespace ns, string from, IReadOnlyList<string?>? rooms, string? text, CancellationToken cancellationToken = default)
    {
        if (rooms is null || rooms.Count == 0)
        {
            throw new HubRequestException("Name at least one room.");
        }
        if (rooms.Count > _limits.MaxRoomsPerSend)
        {
            throw new HubRequestException($"A message can go to at most {_limits.MaxRoomsPerSend} rooms at once.");
        }
        IReadOnlyList<string> names = [.. rooms.Select(Names.Room).Distinct(StringComparer.Ordinal)];
        return SendAsync(new OutgoingMessage(ns.Name, from, DeliveryTarget.ToRooms(names), Text: Text(text), SenderMustBeMember: true), cancellationToken);
    }

    /// <summary>Sends a direct message; it goes to the target's queue and to the sender's (the conversation is both users').</summary>
    public Task<SendResult> ToUserAsync(HubNamespace ns, string from, string? user, string? text, CancellationToken cancellationToken = default)
    {
        var to = Names.User(user);
        return SendAsync(new OutgoingMessage(ns.Name, from, DeliveryTarget.ToUsers([to, from]), To: to, Text: Text(text)), cancellationToken);
    }

    /// <summary>Sends to every other user online in the namespace.</summary>
    public Task<SendResult> BroadcastAsync(HubNamespace ns, string from, string? text, CancellationToken cancellationToken = default) =>
        SendAsync(new OutgoingMessage(ns.Name, from, DeliveryTarget.ToOnline(exceptUser: from), Text: Text(text)), cancellationToken);

    /// <summary>Queues a notification for its recipients; returns the stored message.</summary>
    public Task<AppendResult> NotifyAsync(HubNamespace ns, string from, NotificationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var to = request.To ?? throw new HubRequestException("'to' is required: one of user, users, room or all.");
        var given = (to.User is not null ? 1 : 0) + (to.Users is not null ? 1 : 0) + (to.Room is not null ? 1 : 0) + (to.All == true ? 1 : 0);
        if (given != 1)
        {
            throw new HubRequestException("'to' must name exactly one of user, users, room or all.");
        }
        if (string.IsNullOrWhiteSpace(request.Type) || request.Type.Length > 128)
        {
            throw new HubRequestException("'type' is required (at most 128 characters).");
        }
        if (to.Users is { Count: var count } && (count == 0 || count > _limits.MaxNotificationUsers))
        {
            throw new HubRequestException($"'to.users' must name 1 to {_limits.MaxNotificationUsers} users.");
        }
        var target = to.User is not null ? DeliveryTarget.ToUsers([Names.User(to.User)])
            : to.Users is not null ? DeliveryTarget.ToUsers([.. to.Users.Select(Names.User)])
            : to.Room is not null ? DeliveryTarget.ToRooms([Names.Room(to.Room)])
            : DeliveryTarget.ToKnown();
        JsonElement? payload = request.Payload is { ValueKind: not JsonValueKind.Undefined } p ? p.Clone() : null;
        return store.AppendAsync(new OutgoingMessage(ns.Name, from, target, Type: request.Type, Payload: payload), cancellationToken);
    }

    private async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var stored = await store.AppendAsync(message, cancellationToken);
        return new SendResult(stored.Envelope.Id, stored.Envelope.SentAt);
    }

    private string Text(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new HubRequestException("Message text is required.");
        }
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > _limits.MaxTextBytes)
        {
            throw new HubRequestException($"Message too long: {bytes} bytes; the limit is {_limits.MaxTextBytes} bytes.", StatusCodes.Status413PayloadTooLarge);
        }
        return text;
    }
}
