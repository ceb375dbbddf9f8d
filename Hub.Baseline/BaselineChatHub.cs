using Hub.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Baseline;

/// <summary>
/// The part of Hub's chat surface that Hub.Bench uses, on plain SignalR with no durability: rooms are SignalR groups,
/// a send goes to the group at once, nothing is stored, acks are ignored, no presence. It keeps no per-connection
/// state, so its idle connections cost what SignalR's do. This is the "plain SignalR" the benchmark targets compare
/// against (docs/benchmarks.md).
/// </summary>
public sealed class BaselineChatHub(TimeProvider time) : Microsoft.AspNetCore.SignalR.Hub
{
    private static long s_lastId;

    private string User => Context.UserIdentifier ?? Context.ConnectionId;

    /// <summary>Joins the caller to the room's group; there is no room registry.</summary>
    public async Task<RoomInfo> CreateRoom(string room)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, room, Context.ConnectionAborted);
        return new RoomInfo(room, User, time.GetUtcNow());
    }

    /// <summary>Joins the caller to the room's group.</summary>
    public async Task<RoomState> JoinRoom(string room)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, room, Context.ConnectionAborted);
        return new RoomState(room, []);
    }

    /// <summary>Sends to the room's group, serialized once by SignalR; nothing is stored.</summary>
    public async Task<SendResult> SendToRoom(string room, string text)
    {
        var sentAt = time.GetUtcNow();
        var id = $"{sentAt.ToUnixTimeMilliseconds()}-{Interlocked.Increment(ref s_lastId)}";
        var envelope = new Envelope(id, "chat", room, User, null, text, sentAt, null, Redelivered: false);
        await Clients.Group(room).SendAsync(HubEvents.Message, envelope, Context.ConnectionAborted);
        return new SendResult(id, sentAt);
    }

    /// <summary>
    /// <c>Send(request)</c>, which Hub.Client uses for every send: room targets only, the idempotency key ignored
    /// (nothing is stored, so there is nothing to de-duplicate).
    /// </summary>
    public Task<SendResult> Send(SendRequest request) =>
        request?.Room is { } room ? SendToRoom(room, request.Text ?? "") : throw new HubException("The baseline sends to one room only.");

    /// <summary>Accepted and ignored: nothing is pending.</summary>
    public void Ack(string[] ids) => _ = ids;
}
