// Hub.Client in a console app: connect with a refreshing token, create and join a room, send, receive, acknowledge.
// Run a server in embedded mode first (`dotnet run --project Hub.Server`), then: dotnet run -- http://localhost:5000 alice
using System.Net.Http.Json;
using Hub.Client;
using Hub.Contracts;

var baseUrl = new Uri(args.Length > 0 ? args[0] : "http://localhost:5000");
var user = args.Length > 1 ? args[1] : "alice";
const string room = "general";

using var http = new HttpClient { BaseAddress = baseUrl };
await using var chat = new ChatClient(baseUrl, new HubClientOptions
{
    User = user,
    // Asked on every connect and reconnect, so an expired token, or one a restarted server no longer accepts, is
    // replaced. Embedded mode hands out dev tokens at POST /api/token; in production, ask your own issuer here.
    AccessTokenProvider = async cancellationToken =>
    {
        using var response = await http.PostAsJsonAsync(HubPaths.Token, new TokenRequest(user), cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken))!.Token;
    },
    AutoAck = false, // acknowledged below once handled; with the default (true), once the handlers completed
});

var text = $"hello from {user}";
var echoed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
chat.OnMessage(async (message, cancellationToken) =>
{
    Console.WriteLine($"received [{message.Room}] {message.From}: {message.Text}");
    await chat.AckAsync(message.Id, cancellationToken); // until acknowledged, a message comes again on reconnect
    Console.WriteLine($"acked {message.Id}");
    if (message.Text == text)
    {
        echoed.TrySetResult();
    }
});

await chat.StartAsync();
Console.WriteLine($"connected as {chat.User}");
try
{
    await chat.CreateRoomAsync(room);
}
catch (HubInvocationException ex) when (ex.Code == HubErrorCodes.RoomExists)
{
    // Made by an earlier run or another user: joining it is what we want.
}

var state = await chat.JoinRoomAsync(room);
Console.WriteLine($"joined {state.Room} ({state.Members.Count} members)");
var sent = await chat.SendToRoomAsync(room, text);
Console.WriteLine($"sent {sent.Id}");
await echoed.Task.WaitAsync(TimeSpan.FromSeconds(30)); // members, the sender included, get every room message
