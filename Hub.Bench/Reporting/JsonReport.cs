using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hub.Bench.Reporting;

/// <summary>The <c>--json</c> document: the machine, the command and every result.</summary>
/// <param name="StartedAt">When the run started.</param>
/// <param name="Command">The command line.</param>
/// <param name="ProcessorCount">Cores.</param>
/// <param name="Results">Every scenario run.</param>
public sealed record JsonReport(DateTimeOffset StartedAt, string Command, int ProcessorCount, IReadOnlyList<ScenarioResult> Results)
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Serializes the report.</summary>
    public string Serialize() => JsonSerializer.Serialize(this, s_options);
}
