using Hub.Server.Delivery;
using Hub.Server.Presence;
using Hub.Server.ReadState;
using Hub.Server.Rooms;

namespace Hub.Tests.Stores;

/// <summary>The stores of one mode, sharing one backing state, as the server wires them.</summary>
public sealed record StoreSet(IRoomStore Rooms, IPresenceStore Presence, IDeliveryStore Delivery, IReadStateStore ReadState,
    IAsyncDisposable? Owner = null) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Owner?.DisposeAsync() ?? ValueTask.CompletedTask;
}
