using Hub.Server.Delivery;
using Hub.Server.ReadState;
using Hub.Server.Rooms;

namespace Hub.Server.Storage.InMemory;

/// <summary>Read positions in process memory (embedded mode), under the namespace's lock like the logs they count.</summary>
internal sealed class InMemoryReadStateStore(InMemoryState state) : IReadStateStore
{
    public Task<ReadMark> MarkReadAsync(string ns, string user, DeliveryScope scope, long seq, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            long last;
            if (scope.Kind == DeliveryScopeKind.Room)
            {
                var room = s.Rooms.GetValueOrDefault(scope.Name) ?? throw RoomErrors.NotFound(scope.Name);
                // A private room does not exist for a non-member (RoomAccess.IsHidden).
                last = room.Members.Contains(user) ? room.Seq
                    : throw (room.IsHiddenFrom(user) ? RoomErrors.NotFound(scope.Name) : RoomErrors.NotMember(scope.Name));
            }
            else
            {
                last = s.Conversations.GetValueOrDefault(scope.Name)?.Last.Counter ?? throw ReadStateErrors.NoConversation(scope.PeerOf(user));
            }
            var key = (scope.Key, user);
            var read = s.ReadSeqs.GetValueOrDefault(key);
            var target = Math.Min(seq, last);
            if (target <= read)
            {
                return Task.FromResult(new ReadMark(scope, read, Moved: false));
            }
            s.ReadSeqs[key] = target;
            return Task.FromResult(new ReadMark(scope, target, Moved: true));
        }
    }

    public Task<IReadOnlyList<ScopeReadState>> GetReadStatesAsync(string ns, string user, int maxConversations, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var states = new List<ScopeReadState>();
            foreach (var name in s.RoomsOf(user))
            {
                if (s.Rooms.GetValueOrDefault(name) is { } room)
                {
                    var scope = DeliveryScope.Room(name);
                    var read = Math.Max(s.ReadSeqs.GetValueOrDefault((scope.Key, user)), s.JoinedAt.GetValueOrDefault((user, name)).Counter);
                    states.Add(new ScopeReadState(scope, room.Info.IsPrivate, room.Log.Last, read));
                }
            }
            states.AddRange((s.ConversationsByUser.GetValueOrDefault(user) ?? [])
                .Select(name => (Scope: new DeliveryScope(DeliveryScopeKind.Conversation, name), Last: s.Conversations[name].Last))
                .OrderByDescending(c => c.Last)
                .Take(maxConversations)
                .Select(c => new ScopeReadState(c.Scope, IsPrivate: false, c.Last, s.ReadSeqs.GetValueOrDefault((c.Scope.Key, user)))));
            return Task.FromResult<IReadOnlyList<ScopeReadState>>(states);
        }
    }

    public Task<IReadOnlyList<long>> GetReadSeqsAsync(string ns, string room, IReadOnlyList<string> users, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        var key = DeliveryScope.Room(room).Key;
        lock (s.Gate)
        {
            return Task.FromResult<IReadOnlyList<long>>([.. users.Select(u => s.ReadSeqs.GetValueOrDefault((key, u)))]);
        }
    }
}
