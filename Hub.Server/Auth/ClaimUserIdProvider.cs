using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Hub.Server.Auth;

/// <summary>SignalR's user id is the configured user claim (<c>sub</c> by default), so <c>Clients.User</c> works by name.</summary>
public sealed class ClaimUserIdProvider(IOptions<AuthOptions> options) : IUserIdProvider
{
    /// <inheritdoc/>
    public string? GetUserId(HubConnectionContext connection) => connection.User?.FindFirst(options.Value.UserClaim)?.Value;
}
