using Microsoft.Extensions.Options;

namespace Hub.Server.Delivery;

/// <summary>Every bound and duration of delivery is positive; a redelivery page holds at most 100,000 entries.</summary>
internal sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions o)
    {
        var failures = new List<string>();
        Require(o.MaxPendingPerUser >= 1, "Delivery:MaxPendingPerUser must be at least 1.");
        Require(o.RoomHistoryLength >= 1, "Delivery:RoomHistoryLength must be at least 1.");
        Require(o.MaxDevicesPerUser is >= 1 and <= 1000, "Delivery:MaxDevicesPerUser must be between 1 and 1000.");
        Require(o.DeviceRetention > TimeSpan.Zero, "Delivery:DeviceRetention must be positive.");
        Require(o.RedeliveryPageSize is >= 1 and <= 100_000, "Delivery:RedeliveryPageSize must be between 1 and 100000.");
        Require(o.OutboundQueueMessages >= 1, "Delivery:OutboundQueueMessages must be at least 1.");
        Require(o.OutboundQueueBytes >= 1, "Delivery:OutboundQueueBytes must be at least 1.");
        Require(o.MaxPendingAge > TimeSpan.Zero && o.LiveSendTimeout > TimeSpan.Zero, "Delivery: MaxPendingAge and LiveSendTimeout must be positive.");
        Require(o.WriteDelay >= TimeSpan.Zero && o.WriteDelay <= TimeSpan.FromSeconds(1), "Delivery:WriteDelay must be between 0 and 1 second.");
        Require(o.AckFlushInterval >= TimeSpan.Zero && o.AckFlushInterval <= TimeSpan.FromSeconds(1), "Delivery:AckFlushInterval must be between 0 and 1 second.");
        // The Redis key's TTL is in milliseconds: anything shorter would be no window at all.
        Require(o.IdempotencyWindow >= TimeSpan.FromMilliseconds(1), "Delivery: IdempotencyWindow must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Require(bool valid, string failure)
        {
            if (!valid)
            {
                failures.Add(failure);
            }
        }
    }
}
