using Hub.Client;

namespace Hub.Bench.Load;

/// <summary>One simulated user: its own <see cref="ChatClient"/> (one connection) and what it received.</summary>
public sealed class SimUser : IAsyncDisposable
{
    private long _reconnects;

    /// <summary>Creates the user; <see cref="ChatClient.StartAsync"/> is called by <see cref="UserPool"/>.</summary>
    public SimUser(string name, ChatClient client, Receiver receiver)
    {
        Name = name;
        Client = client;
        Receiver = receiver;
        client.MessageReceived += receiver.OnMessage;
        client.Reconnecting += _ => Interlocked.Increment(ref _reconnects);
    }

    /// <summary>The user name.</summary>
    public string Name { get; }

    /// <summary>The user's connection.</summary>
    public ChatClient Client { get; }

    /// <summary>What it received.</summary>
    public Receiver Receiver { get; }

    /// <summary>How often its connection dropped and the client reconnected on its own (should be 0).</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await Client.StopAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
        }

        await Client.DisposeAsync();
    }
}
