using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Infrastructure;

/// <summary>
/// A logger provider that records every entry a host writes (level, category, message, structured values,
/// exception), to check what reaches the log. Add it with <c>builder.Logging.AddProvider(collector)</c>.
/// </summary>
public sealed class LogCollector : ILoggerProvider
{
    /// <summary>One recorded entry.</summary>
    public sealed record Entry(LogLevel Level, string Category, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> Values, Exception? Exception);

    private readonly ConcurrentQueue<Entry> _entries = new();

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyList<Entry> Entries => [.. _entries];

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class Logger(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new Entry(logLevel, category, eventId, formatter(state, exception),
                state is IEnumerable<KeyValuePair<string, object?>> values ? [.. values] : [], exception));
    }
}
