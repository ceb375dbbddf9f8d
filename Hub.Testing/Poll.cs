namespace Hub.Testing;

/// <summary>
/// Waits for a state that raises no event (another process accepting connections, a node reporting ready, a client
/// noticing a dead socket): re-checks a real condition at a short interval, with a deadline, and fails with what it
/// waited for. Everything that has an event is awaited instead.
/// </summary>
public static class Poll
{
    /// <summary>The deadline when none is given: generous for a 2-core machine; only reached when something is wrong.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    /// <summary>Completes when <paramref name="condition"/> is true; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<CancellationToken, Task<bool>> condition, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? DefaultTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        using var tick = new PeriodicTimer(Interval);
        try
        {
            while (!await condition(deadline.Token))
            {
                await tick.WaitForNextTickAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Timed out after {limit} waiting until {what}.");
        }
    }

    /// <summary>The same for a synchronous condition.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(_ => Task.FromResult(condition()), what, timeout);
}
