using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Delivery;
using Hub.Server.Limits;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Hub.Server.Hubs;

/// <summary>
/// What every namespace does: connect (presence, groups, redelivery), rooms (join, leave, list, members) and acks.
/// Room membership belongs to the user: every connection of a member is in the room's SignalR group while connected.
/// </summary>
/// <typeparam name="THub">The concrete hub (which names its namespace).</typeparam>
public abstract class NamespaceHub<THub>(HubServices services) : Hub<IHubClient>
    where THub : NamespaceHub<THub>, INamespaceHub
{
    private const string ConnectionKey = "hub.connection";
    private const string UserKey = "hub.user";

    /// <summary>The namespace this hub serves.</summary>
    protected static HubNamespace Ns => THub.Namespace;

    /// <summary>The name of the namespace this hub serves.</summary>
    public string NamespaceName => Ns.Name;

    /// <summary>Shared services.</summary>
    protected HubServices Services { get; } = services;

    /// <summary>The caller's user name (validated at connect).</summary>
    protected string User => (string)Context.Items[UserKey]!;

    /// <inheritdoc/>
    public override async Task OnConnectedAsync()
    {
        var user = Names.User(Context.UserIdentifier);
        Context.Items[UserKey] = user;
        var ct = Context.ConnectionAborted;
        var query = Context.GetHttpContext()?.Request.Query;
        var epoch = query?[HubPaths.EpochQueryParameter].FirstOrDefault();
        var device = Names.Device(query?[HubPaths.DeviceQueryParameter].FirstOrDefault());

        // Register with the dispatcher first: from here on every message stored for the user reaches this connection,
        // either in the backlog or live after it (held back until the backlog is sent).
        var dispatcher = Services.Dispatcher<THub>();
        var handle = dispatcher.Connect(Context, user, device);
        Context.Items[ConnectionKey] = handle;
        try
        {
            // Refuses (recording nothing) past Limits:MaxConnectionsPerUser or, for a new user, Limits:MaxUsersPerNamespace;
            // the catch below undoes the dispatcher side.
            var cameOnline = await Services.Presence.AddConnectionAsync(Ns.Name, user, Context.ConnectionId, Services.Limits.MaxConnectionsPerUser,
                Services.Limits.MaxUsersPerNamespace, ct);
            var rooms = await Services.Rooms.RoomsOfAsync(Ns, user, ct);
            foreach (var room in rooms)
            {
                await Groups.AddToGroupAsync(Context.ConnectionId, room, ct);
            }

            // Only now, with the user online and in its rooms' groups: Resumed promises the client it is live.
            dispatcher.Resume(handle, epoch);
            if (cameOnline)
            {
                await Services.Announcer.AnnounceAsync(Ns, user, online: true, ct);
            }
        }
        catch
        {
            // SignalR does not call OnDisconnectedAsync when OnConnectedAsync throws (HubConnectionHandler.RunHubAsync
            // sends a close message and returns): undo what was registered here, or the node keeps a dead connection.
            dispatcher.Disconnect(handle);
            await Services.Presence.RemoveConnectionAsync(Ns.Name, user, Context.ConnectionId, CancellationToken.None)
                .ContinueWith(static _ => { }, TaskScheduler.Default);
            throw;
        }
    }

    /// <inheritdoc/>
    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(ConnectionKey, out var item) && item is LocalConnection handle)
        {
            Services.Dispatcher<THub>().Disconnect(handle);
            // The device may reconnect to another node next: what it acknowledged here must be stored by then.
            await Services.Acks.FlushAsync(Ns.Name, handle.User, handle.Device, CancellationToken.None);
        }
        if (Context.Items[UserKey] is not string user)
        {
            return;
        }
        // The connection is gone: these calls are not tied to it.
        if (await Services.Presence.RemoveConnectionAsync(Ns.Name, user, Context.ConnectionId, CancellationToken.None))
        {
            await Services.Announcer.AnnounceAsync(Ns, user, online: false, CancellationToken.None);
        }
    }

    /// <summary>Joins a room (in the notifications namespace, a topic, created on first join).</summary>
    public async Task<RoomState> JoinRoom(string room)
    {
        Acquire(RateLimit.RoomChange);
        var (state, added) = await Services.Rooms.JoinAsync(Ns, User, room, Context.ConnectionAborted);
        await SetGroupAsync(state.Room, join: true);
        if (added)
        {
            await Clients.Group(state.Room).UserJoined(state.Room, User);
        }
        return state;
    }

    /// <summary>Leaves a room.</summary>
    public async Task LeaveRoom(string room)
    {
        Acquire(RateLimit.RoomChange);
        var name = Names.Room(room);
        if (await Services.Rooms.LeaveAsync(Ns, User, name, Context.ConnectionAborted))
        {
            await Clients.Group(name).UserLeft(name, User);
        }
        await SetGroupAsync(name, join: false);
    }

    /// <summary>
    /// The first <see cref="LimitsOptions.MaxRoomsPage"/> rooms of the namespace by name (see <see cref="ListRoomsPage"/>);
    /// private rooms only for their members.
    /// </summary>
    public async Task<IReadOnlyList<RoomInfo>> ListRooms()
    {
        Acquire(RateLimit.Read);
        return (await Services.Rooms.ListAsync(Ns, User, after: null, limit: null, Context.ConnectionAborted)).Rooms;
    }

    /// <summary>
    /// A page of the namespace's rooms by name: at most <paramref name="limit"/> named after <paramref name="after"/>;
    /// private rooms only for their members, so a page may be shorter (follow <see cref="RoomPage.Next"/> to the end).
    /// </summary>
    public Task<RoomPage> ListRoomsPage(string? after, int limit)
    {
        Acquire(RateLimit.Read);
        return Services.Rooms.ListAsync(Ns, User, after, limit, Context.ConnectionAborted);
    }

    /// <summary>Members of a room with presence, roles and how far each has read it (a private room's only for its members).</summary>
    public async Task<IReadOnlyList<Member>> GetMembers(string room)
    {
        Acquire(RateLimit.Read);
        var members = await Services.Rooms.GetMembersAsync(Ns, User, room, Context.ConnectionAborted);
        return await Services.ReadState.WithReadSeqsAsync(Ns, Names.Room(room), members, Context.ConnectionAborted);
    }

    /// <summary>
    /// Acknowledges delivered messages for the caller's device. Cumulative per room, conversation and the user's own
    /// stream: acknowledging a message acknowledges everything before it there.
    /// </summary>
    public async Task Ack(string[] ids)
    {
        if (ids is null || ids.Length == 0)
        {
            return;
        }
        var max = Services.Limits.MaxAckIds;
        if (ids.Length > max)
        {
            throw new HubRequestException($"Ack at most {max} ids at once. Set by Limits:MaxAckIds.");
        }
        var device = ((LocalConnection)Context.Items[ConnectionKey]!).Device;
        await Services.Acks.AckAsync(Ns.Name, User, device, [.. ids.Where(id => id is not null)], Context.ConnectionAborted);
        Services.Metrics.Acked(Ns.Name, ids.Length);
    }

    /// <summary>Takes a send token from the caller's (the user's, not the connection's) rate limit, or refuses.</summary>
    protected void AcquireSendToken() => Acquire(RateLimit.Send);

    /// <summary>Takes a token of <paramref name="kind"/> from the caller's rate limits on this node, or refuses (429, with when to retry).</summary>
    protected void Acquire(RateLimit kind) => Services.RateLimiter.Acquire(Ns.Name, User, kind);

    /// <summary>Adds or removes every live connection of the caller (on any node) to or from a room's group.</summary>
    protected async Task SetGroupAsync(string room, bool join)
    {
        foreach (var connectionId in await Services.Presence.GetConnectionsAsync(Ns.Name, User, Context.ConnectionAborted))
        {
            if (join)
            {
                await Groups.AddToGroupAsync(connectionId, room, Context.ConnectionAborted);
            }
            else
            {
                await Groups.RemoveFromGroupAsync(connectionId, room, Context.ConnectionAborted);
            }
        }
    }
}
