using System.Globalization;
using Hub.Bench.Load;
using Hub.Bench.Measurement;
using Hub.Bench.Reporting;

namespace Hub.Bench.Scenarios;

/// <summary>
/// Rooms x members, the first <see cref="PublishersPerRoom"/> members of each room sending to it: every message is
/// stored in each member's queue (the sender's included) and delivered to each member live.
/// </summary>
/// <param name="Rooms">How many rooms.</param>
/// <param name="Members">Members per room (distinct users; a user is in one room).</param>
/// <param name="PublishersPerRoom">Sending members per room.</param>
/// <param name="Rate">Messages per second over all publishers; 0 for as fast as possible.</param>
public sealed record RoomFanoutScenario(int Rooms, int Members, int PublishersPerRoom, double Rate) : IScenario
{
    /// <inheritdoc/>
    public string Name => "fanout";

    /// <inheritdoc/>
    public string Parameters => string.Create(CultureInfo.InvariantCulture,
        $"{Rooms} room x {Members} members x {PublishersPerRoom} pub @ {(Rate > 0 ? Rate.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "max")}");

    /// <inheritdoc/>
    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Rooms, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Members, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PublishersPerRoom, Members);

        var result = new ScenarioResult { Scenario = Name, Mode = context.Topology.Label, Parameters = Parameters };
        var latency = new LatencyHistogram();
        await using var pool = new UserPool(context.Topology.BaseUrl, context.Clients, latency);
        var names = new List<string>();
        for (var r = 0; r < Rooms; r++)
        {
            for (var m = 0; m < Members; m++)
            {
                names.Add($"{context.RunId}-r{r}-m{m}");
            }
        }

        var users = await Setup.ConnectAsync(pool, names, Rooms * PublishersPerRoom, context, Name, cancellationToken);
        var publishers = new List<Publisher>();
        for (var r = 0; r < Rooms; r++)
        {
            var room = $"{context.RunId}-room{r}";
            var members = users.Skip(r * Members).Take(Members).ToList();
            await Setup.CreateRoomAsync(room, members, context, cancellationToken);
            var receivers = members.Select(m => m.Receiver).ToList();
            for (var p = 0; p < PublishersPerRoom; p++)
            {
                var member = members[p];
                publishers.Add(new Publisher(publishers.Count, member, (text, ct) => member.Client.SendToRoomAsync(room, text, ct), receivers));
            }
        }

        await LoadRunner.RunAsync(publishers, users, Rate, latency, context.Monitor, context.Run, context.Label(Name), result, cancellationToken);
        return result;
    }
}
