using Microsoft.AspNetCore.SignalR;

namespace Hub.Tests.Backplane;

/// <summary>
/// A hub whose methods map one to one onto the lifetime manager's operations, so a test can drive every send kind,
/// group change and client result from any node. Every message is delivered as <c>Receive(text)</c>.
/// </summary>
public sealed class BackplaneTestHub : Microsoft.AspNetCore.SignalR.Hub
{
    /// <summary>The client event every send uses.</summary>
    public const string ReceiveEvent = "Receive";

    /// <summary>The client-result method the result tests' clients answer.</summary>
    public const string AskMethod = "Ask";

    public string GetConnectionId() => Context.ConnectionId;

    public Task SendAll(string text) => Clients.All.SendAsync(ReceiveEvent, text);

    public Task SendAllExcept(string[] excluded, string text) => Clients.AllExcept(excluded).SendAsync(ReceiveEvent, text);

    public Task SendConnection(string connectionId, string text) => Clients.Client(connectionId).SendAsync(ReceiveEvent, text);

    public Task SendConnections(string[] connectionIds, string text) => Clients.Clients(connectionIds).SendAsync(ReceiveEvent, text);

    public Task SendGroup(string group, string text) => Clients.Group(group).SendAsync(ReceiveEvent, text);

    public Task SendGroups(string[] groups, string text) => Clients.Groups(groups).SendAsync(ReceiveEvent, text);

    public Task SendGroupExcept(string group, string[] excluded, string text) => Clients.GroupExcept(group, excluded).SendAsync(ReceiveEvent, text);

    public Task SendUser(string user, string text) => Clients.User(user).SendAsync(ReceiveEvent, text);

    public Task SendUsers(string[] users, string text) => Clients.Users(users).SendAsync(ReceiveEvent, text);

    /// <summary>Adds any connection, on any node, by id.</summary>
    public Task AddToGroup(string connectionId, string group) => Groups.AddToGroupAsync(connectionId, group);

    /// <summary>Removes any connection, on any node, by id.</summary>
    public Task RemoveFromGroup(string connectionId, string group) => Groups.RemoveFromGroupAsync(connectionId, group);

    /// <summary>Asks connection <paramref name="connectionId"/> (on any node) a question and returns its answer.</summary>
    public Task<string> AskClient(string connectionId, string question) =>
        Clients.Client(connectionId).InvokeAsync<string>(AskMethod, question, Context.ConnectionAborted);
}
