using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Infrastructure;

/// <summary>A log provider that keeps every entry of every category, to check what a host logs and how loudly.</summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    /// <summary>
    /// One log entry: the text a console would print for it (message, then the exception with its stack), the
    /// structured values a JSON formatter or an exporter would write, and those of the scopes it was logged in
    /// (outermost first).
    /// </summary>
    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception,
        IReadOnlyList<KeyValuePair<string, object?>> Values, IReadOnlyList<KeyValuePair<string, object?>> ScopeValues)
    {
        /// <summary>What a text logger writes.</summary>
        public string Text => Exception is null ? Message : $"{Message}{Environment.NewLine}{Exception}";
    }

    private readonly ConcurrentQueue<Entry> _entries = new();
    private readonly LoggerExternalScopeProvider _scopes = new();

    /// <summary>Every entry so far, in order.</summary>
    public IReadOnlyList<Entry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CollectingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), exception,
                state is IEnumerable<KeyValuePair<string, object?>> values ? [.. values] : [], ScopeValuesNow()));

        private List<KeyValuePair<string, object?>> ScopeValuesNow()
        {
            var values = new List<KeyValuePair<string, object?>>();
            owner._scopes.ForEachScope(static (scope, list) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                {
                    list.AddRange(pairs);
                }
            }, values);
            return values;
        }
    }
}
