using System.Globalization;
using Hub.Bench.Load;
using Hub.Bench.Measurement;
using Hub.Bench.Reporting;

namespace Hub.Bench.Scenarios;

/// <summary>Broadcasts: a few publishers send to every other user online in the chat namespace.</summary>
/// <param name="Users">Users online (all receive).</param>
/// <param name="Publishers">How many of them send.</param>
/// <param name="Rate">Messages per second over all publishers; 0 for as fast as possible.</param>
public sealed record BroadcastScenario(int Users, int Publishers, double Rate) : IScenario
{
    /// <inheritdoc/>
    public string Name => "broadcast";

    /// <inheritdoc/>
    public string Parameters => string.Create(CultureInfo.InvariantCulture,
        $"{Users} users online, {Publishers} pub @ {(Rate > 0 ? Rate.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "max")}");

    /// <inheritdoc/>
    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Users, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Publishers, Users);
        var result = new ScenarioResult { Scenario = Name, Mode = context.Topology.Label, Parameters = Parameters };
        var latency = new LatencyHistogram();
        await using var pool = new UserPool(context.Topology.BaseUrl, context.Clients, latency);
        var names = Enumerable.Range(0, Users).Select(i => $"{context.RunId}-u{i}").ToList();
        var users = await Setup.ConnectAsync(pool, names, Publishers, context, Name, cancellationToken);

        var publishers = new List<Publisher>();
        for (var i = 0; i < Publishers; i++)
        {
            var sender = users[i];
            IReadOnlyList<Receiver> others = [.. users.Where(u => !ReferenceEquals(u, sender)).Select(u => u.Receiver)];
            publishers.Add(new Publisher(i, sender, (text, ct) => sender.Client.BroadcastAsync(text, ct), others));
        }

        await LoadRunner.RunAsync(publishers, users, Rate, latency, context.Monitor, context.Run, context.Label(Name), result, cancellationToken);
        if (users.Sum(u => u.Receiver.Foreign) is > 0 and var foreign)
        {
            result.Notes.Add($"{foreign} deliveries from clients outside this run (other users online)");
        }

        return result;
    }
}
