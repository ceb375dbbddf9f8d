using Hub.Tests.Cluster;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Faults;

/// <summary>
/// When Redis loses its data (a flush, a restart without persistence), every node notices at its next heartbeat,
/// without waiting for a send: connected clients are made to resume and are told their history was not recovered,
/// presence is recorded again, and sends work.
/// </summary>
public sealed class LostDataTests
{
    [Fact]
    public async Task After_flushall_connected_clients_resume_unrecovered_without_anyone_sending_and_the_node_works_again()
    {
        await using var redis = await RedisServerFixture.StartNewAsync();
        // A beat every second: the bound on noticing.
        await using var cluster = await RedisNodes.StartAsync(redis, 2, new Dictionary<string, string?> { ["Redis:NodeTimeout"] = "00:00:03" });
        await using var alice = await cluster[0].ChatAsync("alice");
        await using var bob = await cluster[1].ChatAsync("bob");
        await alice.Client.CreateRoomAsync("general");
        await bob.Client.JoinRoomAsync("general");
        await alice.Client.SendToRoomAsync("general", "before");
        await bob.WaitForMessageAsync("before");
        var firstEpoch = bob.Resumes[^1].Epoch;

        await using (var inspector = await redis.ConnectInspectorAsync())
        {
            await inspector.GetServers()[0].FlushAllDatabasesAsync();
        }

        // Nobody sends: the nodes notice by themselves, close their connections, and the clients resume from a new epoch.
        var resumed = await bob.WaitForResumeAsync(2);
        Assert.False(resumed.Recovered);
        Assert.NotEqual(firstEpoch, resumed.Epoch);
        Assert.False((await alice.WaitForResumeAsync(2)).Recovered);

        // The room went with the data, and a send to it says so; a new room works, with both users online in it.
        var gone = await Assert.ThrowsAsync<Hub.Client.HubInvocationException>(() => alice.Client.SendToRoomAsync("general", "lost room"));
        Assert.Contains("does not exist", gone.Message);
        await alice.Client.CreateRoomAsync("again");
        await bob.RetryWhileClosedAsync(() => bob.Client.JoinRoomAsync("again"));
        var sent = await alice.Client.SendToRoomAsync("again", "works");
        Assert.Equal(sent.Id, (await bob.WaitForMessageAsync("works")).Id);
        Assert.All(await alice.Client.GetMembersAsync("again"), m => Assert.True(m.Online, $"{m.User} shows online"));
        Assert.Equal(2, bob.Resumes.Count); // noticed once, not again at the first message after the loss
    }
}
