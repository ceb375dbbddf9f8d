using System.Globalization;
using Hub.Bench.Load;
using Hub.Bench.Measurement;
using Hub.Bench.Reporting;

namespace Hub.Bench.Scenarios;

/// <summary>
/// Direct messages in a ring: user i writes to user i+1. The server stores each message for the recipient and for
/// the sender (a conversation belongs to both), so every message is two deliveries.
/// </summary>
/// <param name="Users">How many users, all sending.</param>
/// <param name="Rate">Messages per second over all users; 0 for as fast as possible.</param>
public sealed record DirectMessageScenario(int Users, double Rate) : IScenario
{
    /// <inheritdoc/>
    public string Name => "direct";

    /// <inheritdoc/>
    public string Parameters => string.Create(CultureInfo.InvariantCulture,
        $"{Users} users, ring @ {(Rate > 0 ? Rate.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "max")}");

    /// <inheritdoc/>
    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Users, 2);
        var result = new ScenarioResult { Scenario = Name, Mode = context.Topology.Label, Parameters = Parameters };
        var latency = new LatencyHistogram();
        await using var pool = new UserPool(context.Topology.BaseUrl, context.Clients, latency);
        var names = Enumerable.Range(0, Users).Select(i => $"{context.RunId}-u{i}").ToList();
        var users = await Setup.ConnectAsync(pool, names, Users, context, Name, cancellationToken);

        var publishers = new List<Publisher>();
        for (var i = 0; i < Users; i++)
        {
            var sender = users[i];
            var recipient = users[(i + 1) % Users];
            publishers.Add(new Publisher(i, sender, (text, ct) => sender.Client.SendToUserAsync(recipient.Name, text, ct), [recipient.Receiver, sender.Receiver]));
        }

        await LoadRunner.RunAsync(publishers, users, Rate, latency, context.Monitor, context.Run, context.Label(Name), result, cancellationToken);
        result.Notes.Add("each message is stored and delivered twice: recipient and sender");
        return result;
    }
}
