using Hub.Tests.Cluster;
using Hub.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Hub.Tests.Web;

/// <summary>The same browser tests on a two-node Redis cluster: page A on node A, the other user on node B.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RedisClusterChatPageTests(BrowserFixture browser, ITestOutputHelper output) : ChatPageTests(browser, output)
{
    private RedisNodes? _nodes;

    protected override string HostingName => "redis-cluster";

    protected override async Task<(Uri PageA, Uri PageB)> StartHostsAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var redis = await RedisServerFixture.StartNewAsync();
        DisposeWithTest(redis);
        var nodes = await RedisNodes.StartAsync(redis, 2, settings);
        DisposeWithTest(nodes);
        _nodes = nodes;
        return (nodes[0].BaseAddress, nodes[1].BaseAddress);
    }

    protected override int DropChatConnectionsOnPageA(string user) => _nodes!.Nodes[0].AbortConnectionsOf(user);

    protected override IServiceProvider PageAServices => _nodes!.Nodes[0].Services;
}
