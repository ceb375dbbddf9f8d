using Hub.Contracts;
using Hub.Server.Rooms;

namespace Hub.Server.Storage.InMemory;

/// <summary>Rooms in process memory (embedded mode).</summary>
internal sealed partial class InMemoryRoomStore(InMemoryState state, TimeProvider time) : IRoomStore
{
    public Task<RoomInfo> CreateAsync(string ns, string room, string owner, RoomLimits limits, bool isPrivate = false, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            if (s.Rooms.ContainsKey(room))
            {
                throw RoomErrors.Exists(room);
            }
            return Task.FromResult(Create(s, room, owner, limits, isPrivate));
        }
    }

    public Task<IReadOnlyList<string>> DeleteAsync(string ns, string room, string user, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var r = Visible(s, room, user);
            if (r.Info.Owner != user)
            {
                throw RoomErrors.NotOwner(room);
            }
            s.Rooms.Remove(room);
            s.RoomNames.Remove(room);
            if (--s.OwnedRooms[r.Info.Owner] == 0)
            {
                s.OwnedRooms.Remove(r.Info.Owner);
            }
            foreach (var member in r.Members)
            {
                s.RoomsOf(member).Remove(room);
                s.ForgetRoom(member, room);
            }
            return Task.FromResult<IReadOnlyList<string>>([.. r.Members]);
        }
    }

    public Task<JoinResult> JoinAsync(string ns, string room, string user, RoomLimits limits, bool createIfMissing, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            if (!s.Rooms.TryGetValue(room, out var r))
            {
                if (!createIfMissing)
                {
                    throw RoomErrors.NotFound(room);
                }
                var info = Create(s, room, user, limits, isPrivate: false);
                return Task.FromResult(new JoinResult(info, true, [user]));
            }
            var added = false;
            if (!r.Members.Contains(user))
            {
                if (r.Info.IsPrivate && r.Info.Owner != user && !r.Invites.Contains(user))
                {
                    throw RoomErrors.NotFound(room);
                }
                var rooms = s.RoomsOf(user);
                if (rooms.Count >= limits.MaxRoomsPerUser)
                {
                    throw RoomErrors.TooManyRooms(limits.MaxRoomsPerUser);
                }
                if (r.Members.Count >= limits.MaxMembersPerRoom)
                {
                    throw RoomErrors.RoomFull(room, limits.MaxMembersPerRoom);
                }
                r.Members.Add(user);
                r.Invites.Remove(user);
                rooms.Add(room);
                // The user's devices read the room from here on (none of its earlier messages are theirs).
                s.JoinedAt[(user, room)] = r.Log.Last;
                added = true;
            }
            return Task.FromResult(new JoinResult(r.Info, added, Sorted(r.Members)));
        }
    }

    public Task<bool> LeaveAsync(string ns, string room, string user, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var r = Visible(s, room, user);
            s.RoomsOf(user).Remove(room);
            s.ForgetRoom(user, room);
            r.Admins.Remove(user);
            return Task.FromResult(r.Members.Remove(user));
        }
    }

    public Task<RoomInfo?> GetAsync(string ns, string room, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            return Task.FromResult(s.Rooms.GetValueOrDefault(room)?.Info);
        }
    }

    public Task<RoomPage> ListAsync(string ns, string? after, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var s = state.For(ns);
        lock (s.Gate)
        {
            IEnumerable<string> names = s.RoomNames;
            if (after is not null)
            {
                // The view is a window on the tree (no copy): from the cursor up to the last name.
                names = s.RoomNames.Count == 0 || StringComparer.Ordinal.Compare(after, s.RoomNames.Max) >= 0
                    ? []
                    : s.RoomNames.GetViewBetween(after, s.RoomNames.Max!).Where(name => !string.Equals(name, after, StringComparison.Ordinal));
            }
            var page = names.Take(limit + 1).ToList();
            var next = page.Count > limit ? page[limit - 1] : null;
            return Task.FromResult(new RoomPage([.. page.Take(limit).Select(name => s.Rooms[name].Info)], next));
        }
    }

    public Task<IReadOnlyList<string>> GetMembersAsync(string ns, string room, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            var r = s.Rooms.GetValueOrDefault(room) ?? throw RoomErrors.NotFound(room);
            return Task.FromResult(Sorted(r.Members));
        }
    }

    public Task<IReadOnlyList<string>> GetRoomsOfUserAsync(string ns, string user, CancellationToken cancellationToken = default)
    {
        var s = state.For(ns);
        lock (s.Gate)
        {
            return Task.FromResult(Sorted(s.RoomsOf(user)));
        }
    }

    // Caller holds the gate and has checked the room does not exist.
    private RoomInfo Create(InMemoryNamespace s, string room, string owner, RoomLimits limits, bool isPrivate)
    {
        var rooms = s.RoomsOf(owner);
        if (rooms.Count >= limits.MaxRoomsPerUser)
        {
            throw RoomErrors.TooManyRooms(limits.MaxRoomsPerUser);
        }
        var owned = s.OwnedRooms.GetValueOrDefault(owner);
        if (owned >= limits.MaxOwnedRoomsPerUser)
        {
            throw RoomErrors.TooManyOwned(limits.MaxOwnedRoomsPerUser);
        }
        if (s.Rooms.Count >= limits.MaxRoomsPerNamespace)
        {
            throw RoomErrors.NamespaceFull(limits.MaxRoomsPerNamespace);
        }
        var r = new InMemoryRoom(new RoomInfo(room, owner, time.GetUtcNow(), isPrivate));
        r.Members.Add(owner);
        rooms.Add(room);
        s.JoinedAt[(owner, room)] = default;
        s.Rooms[room] = r;
        s.RoomNames.Add(room);
        s.OwnedRooms[owner] = owned + 1;
        return r.Info;
    }

    private static IReadOnlyList<string> Sorted(IEnumerable<string> names) => [.. names.Order(StringComparer.Ordinal)];
}
