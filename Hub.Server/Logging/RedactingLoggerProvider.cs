namespace Hub.Server.Logging;

/// <summary>
/// Wraps a logger provider so that no <c>access_token</c> value reaches it, neither in the formatted message nor in
/// the structured values (which the JSON console formatter and exporters write out as they are).
/// </summary>
internal sealed class RedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    /// <inheritdoc/>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    /// <summary>The inner provider is a service of its own; the container disposes it.</summary>
    public void Dispose()
    {
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (!AccessTokenRedaction.Applies(message) && !HasTokenValue(state))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            inner.Log(logLevel, eventId, new RedactedState(AccessTokenRedaction.Redact(message), state as IEnumerable<KeyValuePair<string, object?>>),
                exception, static (s, _) => s.Message);
        }

        private static bool HasTokenValue<TState>(TState state) =>
            state is IEnumerable<KeyValuePair<string, object?>> values && values.Any(v => v.Value is string s && AccessTokenRedaction.Applies(s));
    }

    /// <summary>A log entry's values with tokens redacted; its <c>ToString</c> is the redacted message.</summary>
    private sealed class RedactedState(string message, IEnumerable<KeyValuePair<string, object?>>? values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly List<KeyValuePair<string, object?>> _values = values is null ? [] :
            [.. values.Select(v => v.Value is string s ? new KeyValuePair<string, object?>(v.Key, AccessTokenRedaction.Redact(s)) : v)];

        public string Message { get; } = message;

        public KeyValuePair<string, object?> this[int index] => _values[index];

        public int Count => _values.Count;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
