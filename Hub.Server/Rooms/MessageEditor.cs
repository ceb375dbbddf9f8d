using System.Diagnostics;
using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Limits;
using Hub.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace Hub.Server.Rooms;

/// <summary>
/// Edits and deletions of room messages, checked (the id, the text as a send's) and turned into one
/// <see cref="IDeliveryStore.EditAsync"/> call, which checks the rest atomically (room, membership, author, deleted).
/// </summary>
public sealed class MessageEditor(IRoomStore rooms, IDeliveryStore store, IOptions<LimitsOptions> limits)
{
    private readonly LimitsOptions _limits = limits.Value;

    /// <summary>Changes the text of the caller's own message in a room; members receive <c>MessageEdited</c>.</summary>
    /// <returns>The edit's own id (acknowledged like a message's) and when it was stored.</returns>
    public async Task<SendResult> EditAsync(HubNamespace ns, string user, string? room, string? id, string? text, CancellationToken cancellationToken = default)
    {
        var name = Names.Room(room);
        var target = await TargetAsync(ns, user, name, id, cancellationToken);
        return await StoreAsync(new MessageEdit(ns.Name, name, user, target, MessageText.Validate(text, _limits.MaxTextBytes)), cancellationToken);
    }

    /// <summary>Deletes a message in a room, the caller's own or, for a room admin, anyone's; members receive <c>MessageDeleted</c>.</summary>
    /// <returns>The deletion's own id (acknowledged like a message's) and when it was stored.</returns>
    public async Task<SendResult> DeleteAsync(HubNamespace ns, string user, string? room, string? id, CancellationToken cancellationToken = default)
    {
        var name = Names.Room(room);
        var target = await TargetAsync(ns, user, name, id, cancellationToken);
        var admin = await RoleAsync(ns, name, user, cancellationToken) is RoomRoles.Owner or RoomRoles.Admin;
        return await StoreAsync(new MessageEdit(ns.Name, name, user, target, Text: null, ByRoomAdmin: admin), cancellationToken);
    }

    /// <summary>
    /// The caller's role in <paramref name="room"/> (<c>null</c>: not a member); owner and admins delete any member's
    /// message. Refuses an unknown room, or a private one the caller is not in, as missing.
    /// </summary>
    private async Task<string?> RoleAsync(HubNamespace ns, string room, string user, CancellationToken cancellationToken) =>
        (await rooms.GetAccessAsync(ns.Name, room, user, cancellationToken)).Role;

    private async Task<SendResult> StoreAsync(MessageEdit edit, CancellationToken cancellationToken)
    {
        // As a send's hub.send: null unless something listens, else every node's hub.dispatch of the edit joins it.
        using var activity = HubActivities.Source.StartActivity("hub.edit", ActivityKind.Producer);
        if (activity is not null)
        {
            edit = edit with { Trace = activity.Context };
            activity.SetTag("hub.namespace", edit.Ns);
            activity.SetTag("hub.room", edit.Room);
            activity.SetTag("hub.message.target", edit.TargetId);
        }
        var stored = await store.EditAsync(edit, cancellationToken);
        activity?.SetTag("hub.message.id", stored.Envelope.Id);
        return new SendResult(stored.Envelope.Id, stored.Envelope.SentAt);
    }

    // The position of a message of this room. The store checks the room and the caller's membership first; an id of
    // another room's message (or a conversation's) is refused here, after the same checks, so the caller hears first
    // of an unknown room or a room it is not in, whatever id it gave.
    private async Task<MessageId> TargetAsync(HubNamespace ns, string user, string room, string? id, CancellationToken cancellationToken)
    {
        if (!MessageRef.TryParse(id, out var at))
        {
            throw new HubRequestException($"Invalid message id '{id}'.");
        }
        if (at.Scope != DeliveryScope.Room(room))
        {
            // GetAccessAsync refuses a private room the caller is not in as missing, as the store does.
            if (await RoleAsync(ns, room, user, cancellationToken) is null)
            {
                throw RoomErrors.NotMember(room);
            }
            throw EditErrors.MessageNotFound(id);
        }
        return at.Position;
    }
}
