using Microsoft.AspNetCore.SignalR;

namespace Hub.Tests.Backplane;

/// <summary>The user is the <c>user</c> query parameter: user targeting without authentication in these tests.</summary>
public sealed class QueryStringUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.GetHttpContext()?.Request.Query["user"] is { Count: > 0 } user ? user.ToString() : null;
}
