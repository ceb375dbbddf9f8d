using Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Hubs;

/// <summary>
/// One ordered record of what happened on both sides: the server aborting connections (through a hub filter that
/// watches each connection's <c>ConnectionAborted</c>), its warnings (through a logger provider), and whatever the test
/// adds (a client receiving a message). Tests compare the order of entries, never durations.
/// </summary>
internal sealed class ConnectionTimeline : IHubFilter, ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly List<string> _entries = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Appends an entry.</summary>
    public void Add(string entry)
    {
        List<TaskCompletionSource> ready = [];
        lock (_gate)
        {
            _entries.Add(entry);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(entry))
                {
                    ready.Add(_waiters[i].Done);
                    _waiters.RemoveAt(i);
                }
            }
        }
        ready.ForEach(t => t.TrySetResult());
    }

    /// <summary>Completes when an entry matching <paramref name="match"/> was added; fails after the test timeout.</summary>
    public async Task WaitForAsync(Func<string, bool> match, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_entries.Any(match))
            {
                return;
            }
            _waiters.Add((match, done));
        }
        try
        {
            await done.Task.WaitAsync(TestTimeouts.Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited in vain for {what}. Timeline: {string.Join(", ", Snapshot().TakeLast(20))}");
        }
    }

    /// <summary>The entries so far, in order.</summary>
    public List<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }

    /// <summary>Whether <paramref name="entry"/> was added.</summary>
    public bool Contains(string entry)
    {
        lock (_gate)
        {
            return _entries.Contains(entry);
        }
    }

    /// <summary>Adds <c>aborted:{user}</c> when a connection of the user is aborted on the server.</summary>
    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var user = context.Context.UserIdentifier;
        context.Context.ConnectionAborted.Register(() => Add($"aborted:{user}"));
        return next(context);
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new WarningRecorder(this);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    // Records warnings as "warning:{event id}:{message}".
    private sealed class WarningRecorder(ConnectionTimeline timeline) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                timeline.Add($"warning:{eventId.Id}:{formatter(state, exception)}");
            }
        }
    }
}
