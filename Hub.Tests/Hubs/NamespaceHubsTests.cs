using Hub.Server.Common;
using Hub.Server.Hubs;

namespace Hub.Tests.Hubs;

/// <summary>The one list of namespaces covers every hub the server has, each with its own namespace.</summary>
public sealed class NamespaceHubsTests
{
    private sealed class Collector : INamespaceHubVisitor
    {
        public List<(Type Hub, HubNamespace Namespace)> Visited { get; } = [];

        public void Visit<THub>() where THub : NamespaceHub<THub>, INamespaceHub => Visited.Add((typeof(THub), THub.Namespace));
    }

    [Fact]
    public void Every_namespace_hub_of_the_server_is_listed_once_with_a_name_and_path_of_its_own()
    {
        var collector = new Collector();
        NamespaceHubs.ForEach(collector);
        var hubs = typeof(NamespaceHubs).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(NamespaceHub<>))
            .ToHashSet();

        Assert.Equal(hubs.OrderBy(t => t.Name), collector.Visited.Select(v => v.Hub).OrderBy(t => t.Name));
        Assert.Equal(collector.Visited.Count, collector.Visited.Select(v => v.Namespace.Name).Distinct().Count());
        Assert.Equal(collector.Visited.Count, collector.Visited.Select(v => v.Namespace.Path).Distinct().Count());
    }
}
