using Microsoft.Extensions.Logging;

namespace Hub.Client.Internal;

/// <summary>
/// The logger factory handed to the official client. The official client logs a connection's normal end (the server
/// closing it, a node dying) at Error, with a stack trace; Hub.Client logs the same event once, as one Warning line
/// (<see cref="ClientLog.ConnectionLost"/>), and reconnects. So the official client's Warning and Error entries whose
/// exception is an expected one (<see cref="ClientLog.IsExpected"/>), or that carry none, are written at Debug; those
/// with an unexpected exception keep their level.
/// </summary>
internal sealed class ConnectionLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new DemotingLogger(inner.CreateLogger(categoryName));

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>Nothing to release: the application's factory is the application's to dispose.</summary>
    public void Dispose()
    {
    }

    private sealed class DemotingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        // A Warning or Error may be written at Debug, so it is enabled when either level is.
        public bool IsEnabled(LogLevel logLevel) =>
            inner.IsEnabled(logLevel) || (logLevel is LogLevel.Warning or LogLevel.Error && inner.IsEnabled(LogLevel.Debug));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var level = logLevel is LogLevel.Warning or LogLevel.Error && ClientLog.IsExpected(exception) ? LogLevel.Debug : logLevel;
            if (inner.IsEnabled(level))
            {
                inner.Log(level, eventId, state, exception, formatter);
            }
        }
    }
}
