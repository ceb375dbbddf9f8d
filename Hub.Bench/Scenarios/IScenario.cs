using Hub.Bench.Reporting;

namespace Hub.Bench.Scenarios;

/// <summary>One benchmark scenario.</summary>
public interface IScenario
{
    /// <summary>Its name: fanout, direct, broadcast, reconnect, idle, stuck.</summary>
    string Name { get; }

    /// <summary>Its parameters in words, for the report.</summary>
    string Parameters { get; }

    /// <summary>Runs it against <paramref name="context"/>'s topology.</summary>
    Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken);
}
