using Microsoft.Extensions.Options;

namespace Hub.Server.Limits;

/// <summary>Every limit is positive; SignalR needs at least 1024 bytes per frame.</summary>
internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions o) =>
        o.MaxTextBytes > 0 && o.MaxRoomsPerUser > 0 && o.MaxMembersPerRoom > 0 && o.MaxRoomsPerSend > 0
        && o.MaximumReceiveMessageSize >= 1024 && o.SendsPerSecond > 0 && o.SendBurst >= 1 && o.MaxAckIds > 0
        && o.MaxHistoryPage > 0 && o.MaxConversationsListed > 0 && o.MaxNotificationUsers > 0 && o.MaxNotificationBytes > 0
        && o.RoomChangesPerSecond > 0 && o.RoomChangeBurst >= 1 && o.ReadsPerSecond > 0 && o.ReadBurst >= 1
        && o.MaxConnectionsPerUser > 0 && o.MaxOwnedRoomsPerUser > 0 && o.MaxRoomsPerNamespace > 0 && o.MaxRoomsPage > 0 && o.MaxUsersPerNamespace > 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Limits: every limit must be positive (MaximumReceiveMessageSize at least 1024).");
}
