using System.Globalization;
using Hub.Bench.Load;
using Hub.Bench.Measurement;
using Hub.Bench.Reporting;

namespace Hub.Bench.Scenarios;

/// <summary>
/// Stuck readers among live ones: one room of <see cref="Users"/> live members plus <see cref="Stuck"/> members
/// whose connections complete the handshake and then never read (only ping). The first <see cref="Publishers"/> live
/// members send to the room; latency and losses are measured on the live members only. What it shows: whether a
/// stuck connection delays everyone else (the live p99) and what it costs the server to hold messages for it (peak
/// memory). Each stuck reader connects once; once the server closes it, it stays away (its queue keeps filling).
/// Large messages (<c>--size 4000</c>) fill a stuck reader's socket buffers within seconds.
/// </summary>
/// <param name="Users">Live members.</param>
/// <param name="Stuck">Members that never read.</param>
/// <param name="Publishers">Sending live members.</param>
/// <param name="Rate">Messages per second over all publishers; 0 for as fast as possible.</param>
public sealed record StuckReadersScenario(int Users, int Stuck, int Publishers, double Rate) : IScenario
{
    /// <inheritdoc/>
    public string Name => "stuck";

    /// <inheritdoc/>
    public string Parameters => string.Create(CultureInfo.InvariantCulture,
        $"1 room x {Users} live + {Stuck} stuck x {Publishers} pub @ {(Rate > 0 ? Rate.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "max")}");

    /// <inheritdoc/>
    public async Task<ScenarioResult> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Users, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(Stuck);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Publishers, Users);

        var result = new ScenarioResult { Scenario = Name, Mode = context.Topology.Label, Parameters = Parameters };
        var latency = new LatencyHistogram();
        var room = $"{context.RunId}-room";
        await using var pool = new UserPool(context.Topology.BaseUrl, context.Clients, latency);
        var users = await Setup.ConnectAsync(pool, [.. Enumerable.Range(0, Users).Select(i => $"{context.RunId}-live{i}")], Publishers, context, Name,
            cancellationToken);

        // Membership belongs to the user: the stuck users join as ordinary clients first, then come back stuck.
        var stuckNames = Enumerable.Range(0, Stuck).Select(i => $"{context.RunId}-stuck{i}").ToList();
        var stuck = new List<StuckReader>();
        using var tokens = new TokenClient(context.Topology.BaseUrl);
        try
        {
            await using (var joining = new UserPool(context.Topology.BaseUrl, context.Clients, new LatencyHistogram()))
            {
                var stuckUsers = await Setup.ConnectAsync(joining, stuckNames, 1, context, Name, cancellationToken);
                await Setup.CreateRoomAsync(room, [.. users, .. stuckUsers], context, cancellationToken);
            }

            foreach (var name in stuckNames)
            {
                stuck.Add(await StuckReader.ConnectAsync(context.Topology.BaseUrl, await tokens.GetAsync(name, cancellationToken), cancellationToken));
            }

            var receivers = users.Select(u => u.Receiver).ToList();
            var publishers = new List<Publisher>();
            for (var p = 0; p < Publishers; p++)
            {
                var member = users[p];
                publishers.Add(new Publisher(p, member, (text, ct) => member.Client.SendToRoomAsync(room, text, ct), receivers));
            }

            await LoadRunner.RunAsync(publishers, users, Rate, latency, context.Monitor, context.Run, context.Label(Name), result, cancellationToken);
            // Whether and why the server closed the stuck readers is in its log (warning 110), not visible from here:
            // a client that never reads cannot see the close.
            result.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"latency and losses of the {Users} live members only"));
            return result;
        }
        finally
        {
            foreach (var reader in stuck)
            {
                await reader.DisposeAsync();
            }
        }
    }
}
