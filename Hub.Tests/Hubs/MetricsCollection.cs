namespace Hub.Tests.Hubs;

/// <summary>Runs <see cref="MetricsTests"/> with no other test in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Metrics (alone)";
}
