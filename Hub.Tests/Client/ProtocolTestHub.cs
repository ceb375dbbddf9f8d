using Hub.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Tests.Client;

/// <summary>
/// A plain hub that exercises the client's protocol machinery, mapped at the chat and notification paths so the typed
/// clients can talk to it too. It stands in for no real Hub behaviour beyond the wire shapes.
/// </summary>
public sealed class ProtocolTestHub(TestHubState state) : Microsoft.AspNetCore.SignalR.Hub
{
    /// <summary>Records the connection; fails it when the <c>fail</c> query parameter is set; sends <c>Resumed</c>.</summary>
    public override async Task OnConnectedAsync()
    {
        var query = Context.GetHttpContext()!.Request.Query;
        if (query.TryGetValue("fail", out var fail))
        {
            throw new HubException(fail.ToString());
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

    /// <summary>Returns its argument.</summary>
    public string Echo(string text) => text;

    /// <summary>Fails with <paramref name="message"/> as the client-visible error.</summary>
    public string Fail(string message) => throw new HubException(message);

    /// <summary>Adds.</summary>
    public int Add(int a, int b) => a + b;

    /// <summary>Makes the server invoke <paramref name="target"/>(<paramref name="text"/>) on the caller.</summary>
    public Task SendEventToCaller(string target, string text) => Clients.Caller.SendAsync(target, text);

    /// <summary>Invokes <c>Seq(i)</c> on the caller for i = 0..count-1.</summary>
    public async Task SendSequence(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Clients.Caller.SendAsync("Seq", i);
        }
    }

    /// <summary>Sends one chat <c>Message</c> per id, in order (duplicates included), to the caller.</summary>
    public async Task SendMessages(string[] ids)
    {
        foreach (var id in ids)
        {
            await Clients.Caller.SendAsync(HubEvents.Message, new Envelope(id, "chat", "lobby", "alice", null, "text " + id, DateTimeOffset.UtcNow, 1, false));
        }
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

    /// <summary>Aborts the caller's connection from the server side.</summary>
    public void Abort() => Context.Abort();

    /// <summary>Never completes until the connection is gone.</summary>
    public Task Hang() => Task.Delay(Timeout.Infinite, Context.ConnectionAborted);

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
