using Hub.Server.Delivery;
using Hub.Server.Rooms;

namespace Hub.Server.Storage.InMemory;

/// <summary>Edits and deletions of room messages: an edit entry in the room's log, and the message replaced by its latest state.</summary>
internal sealed partial class InMemoryDeliveryStore
{
    public Task<AppendResult> EditAsync(MessageEdit edit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var s = state.For(edit.Ns);
        lock (s.Gate)
        {
            var r = s.Rooms.GetValueOrDefault(edit.Room) ?? throw RoomErrors.NotFound(edit.Room);
            // A private room does not exist for a non-member (RoomAccess.IsHidden).
            if (r.IsHiddenFrom(edit.By))
            {
                throw RoomErrors.NotFound(edit.Room);
            }
            if (!r.Members.Contains(edit.By))
            {
                throw RoomErrors.NotMember(edit.Room);
            }
            // Found only while kept in the log, and only a message (an edit entry is not something to edit).
            if (r.Log.Find(edit.Target) is not { TargetId: null } original)
            {
                throw EditErrors.MessageNotFound(edit.TargetId);
            }
            if (original.From != edit.By && !(edit.Deletes && edit.ByRoomAdmin))
            {
                throw EditErrors.NotAuthor(edit.TargetId, edit.Deletes);
            }
            if (original.Deleted)
            {
                throw EditErrors.Deleted(edit.TargetId);
            }
            var scope = DeliveryScope.Room(edit.Room);
            var position = r.Log.NextUnnumbered(time.GetUtcNow());
            var envelope = edit.Body.ToEnvelope(new MessageRef(scope, position));
            r.Log.Replace(edit.Target, EditState.Of(envelope).ApplyTo(original));
            r.Log.Add(position, envelope, _options.RoomHistoryLength);
            Announce(s, envelope, [.. r.Members], edit.Trace);
            return Task.FromResult(new AppendResult(envelope, r.Members.Count));
        }
    }
}
