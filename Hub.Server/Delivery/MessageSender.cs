using System.Diagnostics;
using System.Text.Json;
using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Limits;
using Hub.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Hub.Server.Delivery;

/// <summary>
/// Every way of sending, checked and turned into one <see cref="IDeliveryStore.AppendAsync"/> call. A result is
/// returned only after the store has the message in every recipient's queue.
/// </summary>
public sealed class MessageSender(IDeliveryStore store, IOptions<LimitsOptions> limits, IOptions<DeliveryOptions> delivery, HubMetrics metrics)
{
    private readonly LimitsOptions _limits = limits.Value;
    private readonly DeliveryOptions _delivery = delivery.Value;

    /// <summary>
    /// Sends <paramref name="request"/> to its one target (room, rooms, user or broadcast). With a key, a retry of a
    /// send whose answer was lost returns the first result and stores nothing new.
    /// </summary>
    public Task<SendResult> SendAsync(HubNamespace ns, string from, SendRequest? request, CancellationToken cancellationToken = default)
    {
        if (request is null)
        {
            throw new HubRequestException("Send a request: {\"text\":\"...\", and one of room, rooms, user or broadcast}.");
        }
        var given = (request.Room is not null ? 1 : 0) + (request.Rooms is not null ? 1 : 0) + (request.User is not null ? 1 : 0) + (request.Broadcast ? 1 : 0);
        if (given != 1)
        {
            throw new HubRequestException("A send must name exactly one of room, rooms, user or broadcast.");
        }
        var key = SendKeys.Validate(request.Key);
        var message = request.Room is not null ? ToRoom(ns, from, request.Room, request.Text)
            : request.Rooms is not null ? ToRooms(ns, from, request.Rooms, request.Text)
            : request.User is not null ? ToUser(ns, from, request.User, request.Text)
            : Broadcast(ns, from, request.Text);
        return SendAsync(message with { Key = key }, cancellationToken);
    }

    /// <summary>Sends to one room; the sender must be a member.</summary>
    public Task<SendResult> ToRoomAsync(HubNamespace ns, string from, string? room, string? text, CancellationToken cancellationToken = default) =>
        SendAsync(ToRoom(ns, from, room, text), cancellationToken);

    /// <summary>Sends one message to several rooms; the sender must be a member of each. Each room stores and delivers it as its own message.</summary>
    public Task<SendResult> ToRoomsAsync(HubNamespace ns, string from, IReadOnlyList<string?>? rooms, string? text, CancellationToken cancellationToken = default) =>
        SendAsync(ToRooms(ns, from, rooms, text), cancellationToken);

    /// <summary>Sends a direct message: stored once, in the conversation of the two users, which both receive.</summary>
    public Task<SendResult> ToUserAsync(HubNamespace ns, string from, string? user, string? text, CancellationToken cancellationToken = default) =>
        SendAsync(ToUser(ns, from, user, text), cancellationToken);

    /// <summary>Sends to every other user online in the namespace.</summary>
    public Task<SendResult> BroadcastAsync(HubNamespace ns, string from, string? text, CancellationToken cancellationToken = default) =>
        SendAsync(Broadcast(ns, from, text), cancellationToken);

    private OutgoingMessage ToRoom(HubNamespace ns, string from, string? room, string? text) =>
        new(ns.Name, from, DeliveryTarget.ToRooms([Names.Room(room)]), Text: Text(text), SenderMustBeMember: true);

    private OutgoingMessage ToRooms(HubNamespace ns, string from, IReadOnlyList<string?>? rooms, string? text)
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
        return new(ns.Name, from, DeliveryTarget.ToRooms(names), Text: Text(text), SenderMustBeMember: true);
    }

    private OutgoingMessage ToUser(HubNamespace ns, string from, string? user, string? text)
    {
        var to = Names.User(user);
        return new(ns.Name, from, DeliveryTarget.ToConversation(from, to), To: to, Text: Text(text), RecipientsMustBeKnown: !_delivery.AllowUnknownRecipients);
    }

    private OutgoingMessage Broadcast(HubNamespace ns, string from, string? text) =>
        new(ns.Name, from, DeliveryTarget.ToOnline(exceptUser: from), Text: Text(text));

    /// <summary>Queues a notification for its recipients; returns the stored message.</summary>
    /// <param name="ns">The namespace (notifications).</param>
    /// <param name="from">The API caller's name.</param>
    /// <param name="request">The notification.</param>
    /// <param name="key">Idempotency key (the <c>Idempotency-Key</c> header), or <c>null</c>: a retry with the same key returns the first result.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<AppendResult> NotifyAsync(HubNamespace ns, string from, NotificationRequest request, string? key = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        key = SendKeys.Validate(key);
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
        return AppendAsync(new OutgoingMessage(ns.Name, from, target, Type: request.Type, Payload: payload,
            RecipientsMustBeKnown: !_delivery.NotifyUnknownUsers, Key: key), cancellationToken);
    }

    private async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var stored = await AppendAsync(message, cancellationToken);
        return new SendResult(stored.Envelope.Id, stored.Envelope.SentAt);
    }

    private async Task<AppendResult> AppendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        // Null unless something listens to Hub's traces: then the message carries the send's context to every node.
        using var activity = HubActivities.Source.StartActivity("hub.send", ActivityKind.Producer);
        if (activity is not null)
        {
            message = message with { Trace = activity.Context };
            activity.SetTag("hub.namespace", message.Ns);
            activity.SetTag("hub.target.kind", message.Target.Kind);
            if (message.Target.Rooms is { Count: 1 } rooms)
            {
                activity.SetTag("hub.room", rooms[0]);
            }
        }
        try
        {
            var stored = await store.AppendAsync(message, cancellationToken);
            if (!stored.Replayed)
            {
                metrics.MessageStored(message.Ns);
            }
            activity?.SetTag("hub.message.id", stored.Envelope.Id);
            activity?.SetTag("hub.recipients", stored.Recipients);
            return stored;
        }
        catch (Exception ex) when (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity.SetTag("error.type", ex.GetType().Name);
            throw;
        }
    }

    private string Text(string? text) => MessageText.Validate(text, _limits.MaxTextBytes);
}
