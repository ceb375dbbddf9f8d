using Hub.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Tests.Client;

/// <summary>
/// A plain hub that exercises the client's protocol machinery, mapped at the chat and notification paths so the typed
/// clients can talk to it too. It stands in for no real Hub behaviour beyond the wire shapes.
/// </summary>
public sealed class ProtocolTestHub(TestHubState state) : Microsoft.AspNetCore.SignalR.Hub
{
    /// <summary>Records the connection, or fails it while <see cref="TestHubState.FailingConnects"/> is positive; sends <c>Resumed</c>.</summary>
    public override async Task OnConnectedAsync()
    {
        var query = Context.GetHttpContext()!.Request.Query;
        if (state.TakeFailingConnect())
        {
            // SignalR then closes the connection with this error and "allowReconnect: false".
            throw new HubException("The store is unavailable.");
        }

        var epoch = query.TryGetValue(HubPaths.EpochQueryParameter, out var value) ? value.ToString() : null;
        var authorization = Context.GetHttpContext()!.Request.Headers.Authorization.ToString();
        var token = query.TryGetValue("access_token", out var accessToken) ? accessToken.ToString()
            : authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : null;
        state.Connected(Context, epoch, token);
        await Clients.Caller.SendAsync(HubEvents.Resumed, new ResumeInfo(0, 0, state.Epoch, epoch is null || epoch == state.Epoch));
    }

    /// <inheritdoc />
    public override Task OnDisconnectedAsync(Exception? exception)
    {
        state.Disconnected(Context);
        return Task.CompletedTask;
    }

    /// <summary>Sends one chat <c>Message</c> per id, in order (duplicates included), to every other connection.</summary>
    public async Task SendMessagesToOthers(string[] ids)
    {
        foreach (var id in ids)
        {
            await Clients.Others.SendAsync(HubEvents.Message, new Envelope(id, "chat", "lobby", "alice", null, "text " + id, DateTimeOffset.UtcNow, 1, false));
        }
    }

    /// <summary>Records acknowledged ids.</summary>
    public void Ack(string[] ids) => state.RecordAck(ids);

    /// <summary>The chat contract's <c>JoinRoom</c> shape: the room with the caller as its only member.</summary>
    public RoomState JoinRoom(string room) => new(room, [new Member("alice", true)]);

    /// <summary>The chat contract's <c>GetMembers</c> shape; for the room <c>hang</c>, never completes until the connection is gone.</summary>
    public async Task<Member[]> GetMembers(string room)
    {
        if (room == "hang")
        {
            await Task.Delay(Timeout.Infinite, Context.ConnectionAborted);
        }

        return [new Member("alice", true)];
    }

    /// <summary>The chat contract's <c>DeleteRoom</c> shape: refused, as for a caller who is not the owner.</summary>
    public void DeleteRoom(string room) => throw new HubException($"Only the owner may delete '{room}'.");

    /// <summary>The chat contract's <c>ListRooms</c> shape.</summary>
    public RoomInfo[] ListRooms() => [new RoomInfo("lobby", "alice", new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero))];

    /// <summary>The chat contract's <c>SendToRoom</c> shape.</summary>
    public SendResult SendToRoom(string room, string text) => new($"{room}:{text}", new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));

    /// <summary>The chat contract's <c>Send</c> shape, which the typed client uses for every send; refuses a request without a key.</summary>
    public SendResult Send(SendRequest request) => request.Key is { Length: > 0 }
        ? new($"{request.Room}:{request.Text}", new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero))
        : throw new HubException("The typed client sends every message with a key.");
}
