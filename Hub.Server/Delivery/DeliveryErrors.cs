using Hub.Contracts;
using Hub.Server.Common;

namespace Hub.Server.Delivery;

/// <summary>The refusals of sends, worded once so both stores say the same thing.</summary>
public static class DeliveryErrors
{
    /// <summary>A direct message or notification names a user the namespace has never seen connect.</summary>
    public static HubRequestException UnknownUser(string user) => new($"User '{user}' does not exist.", StatusCodes.Status404NotFound, HubErrorCodes.UserNotFound);

    /// <summary>An idempotency key came back with a different message than the one it was first used for.</summary>
    public static HubRequestException KeyReused(string key) =>
        new($"Idempotency key '{key}' was already used for a different message; use a new key for a new message.", StatusCodes.Status409Conflict,
            HubErrorCodes.KeyReused);
}
