using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Client;

/// <summary>
/// What a process that stops and starts again sees, against the real Hub server: what it handled is not delivered
/// again, what it did not finish is, and a seeded epoch tells it when the server lost its queue meanwhile.
/// </summary>
public sealed class ClientRestartTests
{
    [Fact]
    public async Task A_disposed_client_leaves_only_the_message_it_did_not_finish_for_the_next_instance()
    {
        await using var host = await HubTestHost.StartAsync();
        await using var alice = await host.ChatAsync("alice");
        var interrupted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new EventCollector<string>();
        await using var bob = await host.ChatAsync("bob", o => o.AckInterval = TimeSpan.FromHours(1), start: false);
        bob.Client.OnMessage(async (envelope, cancellationToken) =>
        {
            await Task.Yield();
            if (envelope.Text == "m20")
            {
                interrupted.SetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            handled.Add(envelope.Text!);
        });
        await bob.Client.StartAsync().OrTimeout();
        await bob.WaitForResumeAsync();

        for (var i = 1; i <= 20; i++)
        {
            await alice.Client.SendToUserAsync("bob", $"m{i}");
        }

        await interrupted.Task.OrTimeout();
        Assert.Equal(19, handled.Items.Count);

        // With acks held back for an hour, only the stop's flush can have acknowledged the 19.
        await bob.DisposeAsync();
        await using var next = await host.ChatAsync("bob");
        await next.WaitForResumeAsync();

        Assert.Equal(1, next.Resumes[0].Redelivered);
        Assert.Equal(["m20"], next.Messages.Select(m => m.Text));
    }

    [Fact]
    public async Task A_client_seeded_with_the_epoch_of_a_server_that_lost_its_queue_reads_Recovered_false()
    {
        string seenEpoch;
        await using (var before = await HubTestHost.StartAsync())
        {
            await using var bob = await before.ChatAsync("bob");
            await bob.WaitForResumeAsync();
            seenEpoch = bob.Client.Epoch!;
        }

        // The in-memory store is gone with the server: the restarted one has a new epoch.
        await using var after = await HubTestHost.StartAsync();
        await using var seeded = await after.ChatAsync("bob", o => o.InitialEpoch = seenEpoch);
        await seeded.WaitForResumeAsync();
        await using var unseeded = await after.ChatAsync("bob");
        await unseeded.WaitForResumeAsync();

        Assert.False(seeded.Resumes[0].Recovered);
        Assert.NotEqual(seenEpoch, seeded.Resumes[0].Epoch);
        Assert.Equal(seeded.Resumes[0].Epoch, seeded.Client.Epoch);

        // Without the seed the first connect cannot tell.
        Assert.True(unseeded.Resumes[0].Recovered);
    }
}
