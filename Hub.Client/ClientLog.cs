using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;

namespace Hub.Client;

/// <summary>
/// Source-generated log messages of the typed clients: one line each. Failures that are part of a connection's life
/// (a server closing it, a node dying, a refused reconnect) are logged by their reason alone, without a stack trace;
/// only what the client did not expect carries its exception.
/// </summary>
internal static partial class ClientLog
{
    [LoggerMessage(101, LogLevel.Warning, "Connection to {Url} lost ({Reason}); reconnecting.")]
    public static partial void ConnectionLost(ILogger logger, string url, string reason, Exception? exception);

    [LoggerMessage(102, LogLevel.Information, "Reconnect attempt {Attempt} in {Delay}.")]
    public static partial void ReconnectScheduled(ILogger logger, int attempt, TimeSpan delay);

    [LoggerMessage(103, LogLevel.Warning, "Reconnect attempt {Attempt} failed: {Reason}")]
    public static partial void ReconnectFailed(ILogger logger, int attempt, string reason, Exception? exception);

    [LoggerMessage(104, LogLevel.Error, "Giving up reconnecting to {Url}: {Reason}")]
    public static partial void ReconnectGaveUp(ILogger logger, string url, string reason, Exception? exception);

    [LoggerMessage(105, LogLevel.Information, "Reconnected to {Url}.")]
    public static partial void Reconnected(ILogger logger, string url);

    [LoggerMessage(106, LogLevel.Error, "A handler of the {Event} event threw (message {MessageId}).")]
    public static partial void EventHandlerFailed(ILogger logger, string @event, string? messageId, Exception exception);

    [LoggerMessage(107, LogLevel.Debug, "Sending {Count} acknowledgement(s) failed ({Reason}); they stay queued.")]
    public static partial void AckFailed(ILogger logger, int count, string reason, Exception? exception);

    [LoggerMessage(108, LogLevel.Debug, "Duplicate message {MessageId} filtered.")]
    public static partial void DuplicateFiltered(ILogger logger, string messageId);

    [LoggerMessage(109, LogLevel.Information, "The WebSocket was refused with 404 after negotiation {Attempt}; negotiating again.")]
    public static partial void Renegotiating(ILogger logger, int attempt);

    [LoggerMessage(110, LogLevel.Debug, "Handling of message {MessageId} was cancelled by StopAsync; it stays pending on the server.")]
    public static partial void HandlingInterrupted(ILogger logger, string messageId);

    [LoggerMessage(111, LogLevel.Information, "'{Method}' failed ({Reason}); sending it again with the same key once connected (attempt {Attempt}).")]
    public static partial void Resending(ILogger logger, string method, string reason, int attempt);

    /// <summary>
    /// <paramref name="error"/> as one line: its message, and its inner exception's when that says more (the official
    /// client's reason under a <see cref="HubConnectionClosedException"/>).
    /// </summary>
    public static string Reason(Exception? error)
    {
        if (error is null)
        {
            return "closed";
        }

        // A server's close error is the whole story; the official client's exception under it repeats it.
        var text = error.InnerException is { } inner && error is not HubConnectionClosedException { ServerError: not null }
            && !error.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{error.Message} {inner.GetType().Name}: {inner.Message}"
            : error.Message;
        return text.ReplaceLineEndings(" ");
    }

    /// <summary>
    /// <paramref name="error"/> when it deserves a stack trace in the log; <c>null</c> for the failures a connection
    /// meets in its normal life (a close, a drop, a refused or timed-out connect), whose reason says it all.
    /// </summary>
    public static Exception? Unexpected(Exception? error) => IsExpected(error) ? null : error;

    /// <summary>
    /// Whether <paramref name="error"/> is one a connection meets in its normal life: a close (with the server's
    /// <see cref="HubException"/>), a drop, a refused or timed-out connect.
    /// </summary>
    public static bool IsExpected(Exception? error) => error switch
    {
        null => true,
        HubConnectionClosedException closed => closed.InnerException is null || IsExpected(closed.InnerException),
        HubConnectionException or HubInvocationException or HubException or OperationCanceledException or TimeoutException
            or IOException or WebSocketException or HttpRequestException => true,
        _ => false,
    };
}
