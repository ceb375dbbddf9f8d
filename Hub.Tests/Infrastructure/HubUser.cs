using Hub.Client;
using Hub.Contracts;

namespace Hub.Tests.Infrastructure;

/// <summary>
/// A user's client plus everything it received, in order. <see cref="WaitForAsync"/> re-checks a condition after
/// every event, so tests await what they expect (with a timeout) instead of sleeping.
/// </summary>
public sealed class HubUser<TClient> : IAsyncDisposable where TClient : HubClientBase
{
    private readonly Lock _gate = new();
    private readonly List<Envelope> _messages = [];
    private readonly List<ResumeInfo> _resumes = [];
    private readonly List<string> _events = [];
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public HubUser(string name, TClient client)
    {
        Name = name;
        Client = client;
        client.MessageReceived += m => Record(() => { _messages.Add(m); _events.Add($"message:{m.Text ?? m.Type}"); });
        client.Resumed += r => Record(() => { _resumes.Add(r); _events.Add($"resumed:{r.Redelivered}"); });
        client.UserJoined += (room, user) => Record(() => _events.Add($"joined:{room}:{user}"));
        client.UserLeft += (room, user) => Record(() => _events.Add($"left:{room}:{user}"));
        client.PresenceChanged += (room, user, online) => Record(() => _events.Add($"presence:{room}:{user}:{(online ? "online" : "offline")}"));
        client.RoomDeleted += room => Record(() => _events.Add($"deleted:{room}"));
        client.Reconnected += () => Record(() => _events.Add("reconnected"));
        client.StateChanged += state => Record(() => _events.Add($"state:{state}"));
        client.Closed += _ => Record(() => _events.Add("closed"));
        if (client is ChatClient chat)
        {
            chat.ReadUpTo += (room, user, seq) => Record(() => _events.Add($"read:{room}:{user}:{seq}"));
        }
    }

    /// <summary>The user name.</summary>
    public string Name { get; }

    /// <summary>The client.</summary>
    public TClient Client { get; }

    /// <summary>Messages received, in order.</summary>
    public IReadOnlyList<Envelope> Messages { get { lock (_gate) { return [.. _messages]; } } }

    /// <summary>Resumed events received.</summary>
    public IReadOnlyList<ResumeInfo> Resumes { get { lock (_gate) { return [.. _resumes]; } } }

    /// <summary>Every event as a short string (<c>joined:room:user</c>, <c>presence:room:user:online</c>,
    /// <c>read:room:user:seq</c>, ...), in order.</summary>
    public IReadOnlyList<string> Events { get { lock (_gate) { return [.. _events]; } } }

    /// <summary>Completes when <paramref name="condition"/> holds (checked now and after every event); fails after the test timeout.</summary>
    public async Task WaitForAsync(Func<HubUser<TClient>, bool> condition, string because = "")
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(this))
            {
                return;
            }
            _waiters.Add((() => condition(this), done));
        }
        try
        {
            await done.Task.WaitAsync(TestTimeouts.Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} waited in vain {because}. Events: {string.Join(", ", Events.TakeLast(30))}");
        }
    }

    /// <summary>Waits until a message with <paramref name="text"/> arrived and returns it.</summary>
    public async Task<Envelope> WaitForMessageAsync(string text)
    {
        await WaitForAsync(u => u.Messages.Any(m => m.Text == text), $"for message '{text}'");
        return Messages.First(m => m.Text == text);
    }

    /// <summary>Waits for an event string such as <c>joined:general:bob</c>.</summary>
    public Task WaitForEventAsync(string e) => WaitForAsync(u => u.Events.Contains(e), $"for event '{e}'");

    /// <summary>Waits for the <paramref name="count"/>-th Resumed event.</summary>
    public async Task<ResumeInfo> WaitForResumeAsync(int count = 1)
    {
        await WaitForAsync(u => u.Resumes.Count >= count, $"for Resumed #{count}");
        return Resumes[count - 1];
    }

    /// <summary>Waits until the client is connected (again).</summary>
    public Task WaitUntilConnectedAsync() => WaitForAsync(u => u.Client.State == Hub.Client.HubConnectionState.Connected, "to be connected");

    /// <summary>
    /// Calls <paramref name="call"/> until it is answered, as a client whose answer was lost does: when the connection
    /// closed under the call (a node closes its connections after a gap or a fault) or is not back yet, it waits for
    /// the client to reconnect and calls again, at most <paramref name="attempts"/> times. A send retried with its key
    /// is stored once.
    /// </summary>
    public async Task<T> RetryWhileClosedAsync<T>(Func<Task<T>> call, int attempts = 5)
    {
        for (var attempt = 1; ; attempt++)
        {
            var reconnects = Events.Count(e => e == "reconnected");
            try
            {
                return await call();
            }
            catch (Exception ex) when (ex is HubConnectionClosedException or InvalidOperationException && attempt < attempts)
            {
                // Its state may still say Connected while the close is on its way: wait for the reconnect itself.
                await WaitForAsync(u => u.Events.Count(e => e == "reconnected") > reconnects && u.Client.State == HubConnectionState.Connected,
                    "to reconnect");
            }
        }
    }

    private void Record(Action change)
    {
        List<TaskCompletionSource> ready = [];
        lock (_gate)
        {
            change();
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition())
                {
                    ready.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }
        ready.ForEach(t => t.TrySetResult());
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
