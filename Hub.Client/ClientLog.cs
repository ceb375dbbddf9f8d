using Microsoft.Extensions.Logging;

namespace Hub.Client;

/// <summary>Source-generated log messages of the typed clients.</summary>
internal static partial class ClientLog
{
    [LoggerMessage(101, LogLevel.Warning, "Connection to {Url} lost; reconnecting.")]
    public static partial void ConnectionLost(ILogger logger, string url, Exception? exception);

    [LoggerMessage(102, LogLevel.Information, "Reconnect attempt {Attempt} in {Delay}.")]
    public static partial void ReconnectScheduled(ILogger logger, int attempt, TimeSpan delay);

    [LoggerMessage(103, LogLevel.Warning, "Reconnect attempt {Attempt} failed.")]
    public static partial void ReconnectFailed(ILogger logger, int attempt, Exception exception);

    [LoggerMessage(104, LogLevel.Error, "Giving up reconnecting to {Url}.")]
    public static partial void ReconnectGaveUp(ILogger logger, string url, Exception? exception);

    [LoggerMessage(105, LogLevel.Information, "Reconnected to {Url}.")]
    public static partial void Reconnected(ILogger logger, string url);

    [LoggerMessage(106, LogLevel.Error, "A handler of the {Event} event threw.")]
    public static partial void EventHandlerFailed(ILogger logger, string @event, Exception exception);

    [LoggerMessage(107, LogLevel.Debug, "Sending {Count} acknowledgement(s) failed; they stay queued.")]
    public static partial void AckFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(108, LogLevel.Debug, "Duplicate message {Id} filtered.")]
    public static partial void DuplicateFiltered(ILogger logger, string id);

    [LoggerMessage(109, LogLevel.Information, "The WebSocket was refused with 404 after negotiation {Attempt}; negotiating again.")]
    public static partial void Renegotiating(ILogger logger, int attempt);
}
