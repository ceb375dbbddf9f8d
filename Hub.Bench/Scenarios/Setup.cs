using System.Globalization;
using Hub.Bench.Load;
using Hub.Bench.Reporting;

namespace Hub.Bench.Scenarios;

/// <summary>The setup steps scenarios share: connecting users with a progress line, and filling rooms.</summary>
public static class Setup
{
    /// <summary>Connects one user per name, showing how many are connected.</summary>
    public static async Task<IReadOnlyList<SimUser>> ConnectAsync(UserPool pool, IReadOnlyList<string> names, int publishers, ScenarioContext context,
        string scenario, CancellationToken cancellationToken)
    {
        await using (ProgressLine.Start(context.Label(scenario), () => string.Create(CultureInfo.InvariantCulture, $"connecting {pool.Connected:N0}/{names.Count:N0}"),
            null, context.Run.Quiet))
        {
            return await pool.ConnectAsync(names, publishers, cancellationToken);
        }
    }

    /// <summary>The first member creates <paramref name="room"/>, the others join it, a bounded number at a time.</summary>
    public static async Task CreateRoomAsync(string room, IReadOnlyList<SimUser> members, ScenarioContext context, CancellationToken cancellationToken)
    {
        await members[0].Client.CreateRoomAsync(room, cancellationToken);
        await Parallel.ForEachAsync(members.Skip(1),
            new ParallelOptions { MaxDegreeOfParallelism = context.Clients.ConnectConcurrency, CancellationToken = cancellationToken },
            async (member, ct) => await member.Client.JoinRoomAsync(room, ct));
    }
}
