namespace Hub.Server.Admin;

/// <summary>What <c>GET /admin/api/overview</c> returns (docs/operations.md explains every field).</summary>
/// <param name="Mode"><c>embedded</c> or <c>cluster</c>.</param>
/// <param name="Node">The id of the node that answered.</param>
/// <param name="GeneratedAt">When this overview was computed (it is reused for <see cref="AdminOptions.CacheDuration"/>).</param>
/// <param name="Nodes">The live nodes.</param>
/// <param name="Namespaces">Rooms and queues per namespace.</param>
/// <param name="Throughput">Stored, delivered and resumes per sample interval, summed over the nodes.</param>
/// <param name="Store">The store's health.</param>
public sealed record AdminOverview(string Mode, string Node, DateTimeOffset GeneratedAt, IReadOnlyList<NodeOverview> Nodes,
    IReadOnlyList<NamespaceOverview> Namespaces, ThroughputOverview Throughput, StoreOverview Store);
