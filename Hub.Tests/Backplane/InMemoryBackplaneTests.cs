namespace Hub.Tests.Backplane;

/// <summary>
/// The contract against SignalR's own in-memory manager, with "both nodes" being one node: it is the reference
/// behaviour the Redis backplane must match.
/// </summary>
public sealed class InMemoryBackplaneTests : BackplaneContractTests
{
    protected override async Task<(BackplaneNode A, BackplaneNode B)> StartNodesAsync()
    {
        var node = await BackplaneNode.StartInMemoryAsync();
        return (node, node);
    }
}
