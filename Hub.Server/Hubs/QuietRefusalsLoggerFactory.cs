using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Hubs;

/// <summary>
/// The logger factory given to SignalR's hub connection handlers (see <c>AddHubCore</c>): it drops the entries SignalR
/// writes for a refusal, at Error with a full stack trace (<c>DefaultHubDispatcher</c>'s <c>FailedInvokingHubMethod</c>,
/// <c>HubConnectionHandler</c>'s <c>ErrorDispatchingHubEvent</c> for <c>OnConnectedAsync</c>), because
/// <see cref="HubErrorFilter"/> already logged them as one quiet line; every other entry passes unchanged.
/// </summary>
/// <remarks>
/// Why this and not a logging filter rule: rules select by category and level only, and the dispatcher logs both
/// refusals and unexpected exceptions as the same Error event in the same category, so a rule silencing refusals
/// would silence real failures too (including ones thrown before any hub filter runs, such as a hub that cannot be
/// created). Here the decision is made per entry on the exception itself: only a <see cref="HubException"/> that
/// <see cref="HubErrorFilter"/> marked is dropped. If SignalR renames its events this keeps working, and if it ever
/// wraps the exception the entry is logged (too loud, never lost).
/// </remarks>
public sealed class QuietRefusalsLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new QuietLogger(inner.CreateLogger(categoryName));

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>Does nothing: the wrapped factory belongs to the container.</summary>
    public void Dispose()
    {
    }

    private sealed class QuietLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!HubErrorFilter.IsRefusal(exception))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
