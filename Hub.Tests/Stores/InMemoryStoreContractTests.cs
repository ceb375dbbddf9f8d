using Hub.Server.Delivery;
using Hub.Server.Storage.InMemory;
using Microsoft.Extensions.Options;

namespace Hub.Tests.Stores;

/// <summary>The store contract, run against the embedded in-memory stores.</summary>
public sealed class InMemoryStoreContractTests : StoreContractTests
{
    protected override Task<StoreSet> CreateStoresAsync(DeliveryOptions options, TimeProvider time)
    {
        var state = new InMemoryState();
        return Task.FromResult(new StoreSet(
            new InMemoryRoomStore(state, time),
            new InMemoryPresenceStore(state),
            new InMemoryDeliveryStore(state, Options.Create(options), time),
            new InMemoryReadStateStore(state)));
    }
}
