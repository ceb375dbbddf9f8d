namespace Hub.Tests.Client;

/// <summary>Standard error is process-wide: the tests that redirect it run alone.</summary>
[CollectionDefinition(nameof(StandardErrorCollection), DisableParallelization = true)]
public sealed class StandardErrorCollection;
