using Hub.Contracts;
using Hub.Server.Common;

namespace Hub.Server.Presence;

/// <summary>The refusals of presence, worded once so both stores say the same thing.</summary>
public static class PresenceErrors
{
    /// <summary>The user already has the most connections allowed.</summary>
    public static HubRequestException TooManyConnections(int max) => new(
        $"Too many connections: a user may have at most {max} connections to this namespace (Limits:MaxConnectionsPerUser); close one and retry.",
        StatusCodes.Status429TooManyRequests, HubErrorCodes.TooManyConnections);

    /// <summary>The namespace already knows the most users allowed, and this one is new.</summary>
    public static HubRequestException TooManyUsers(int max) => new(
        $"This namespace already has its maximum of {max} users (Limits:MaxUsersPerNamespace); new users cannot connect until an operator raises it.",
        StatusCodes.Status503ServiceUnavailable, HubErrorCodes.NamespaceFull);
}
