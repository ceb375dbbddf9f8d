using Microsoft.Extensions.Logging;

namespace Hub.Client.Protocol;

/// <summary>Source-generated log messages of <see cref="HubProtocolConnection"/>.</summary>
internal static partial class ProtocolLog
{
    [LoggerMessage(1, LogLevel.Debug, "Negotiating with {Url}.")]
    public static partial void Negotiating(ILogger logger, string url);

    [LoggerMessage(2, LogLevel.Debug, "Opening WebSocket to {Url}.")]
    public static partial void OpeningWebSocket(ILogger logger, string url);

    [LoggerMessage(3, LogLevel.Information, "Connected to {Url}.")]
    public static partial void Connected(ILogger logger, string url);

    [LoggerMessage(4, LogLevel.Debug, "Ignoring server invocation of '{Target}': no handler is registered.")]
    public static partial void NoHandler(ILogger logger, string target);

    [LoggerMessage(5, LogLevel.Warning, "Could not bind the arguments of server invocation '{Target}'.")]
    public static partial void ArgumentBindingFailed(ILogger logger, string target, Exception exception);

    [LoggerMessage(6, LogLevel.Error, "A handler of '{Target}' threw.")]
    public static partial void HandlerFailed(ILogger logger, string target, Exception exception);

    [LoggerMessage(7, LogLevel.Debug, "Ignoring message of type {Type}.")]
    public static partial void IgnoringMessage(ILogger logger, int type);

    [LoggerMessage(8, LogLevel.Debug, "Completion for unknown invocation {InvocationId}.")]
    public static partial void UnknownCompletion(ILogger logger, string invocationId);

    [LoggerMessage(9, LogLevel.Information, "Server closed the connection (error: {Error}, allowReconnect: {AllowReconnect}).")]
    public static partial void ServerClosed(ILogger logger, string? error, bool allowReconnect);

    [LoggerMessage(10, LogLevel.Warning, "Server timeout: nothing received for {Timeout}.")]
    public static partial void ServerTimeout(ILogger logger, TimeSpan timeout);

    [LoggerMessage(11, LogLevel.Debug, "Sending a ping failed.")]
    public static partial void PingFailed(ILogger logger, Exception exception);

    [LoggerMessage(12, LogLevel.Information, "Connection closed.")]
    public static partial void Closed(ILogger logger, Exception? exception);

    [LoggerMessage(13, LogLevel.Error, "A Closed handler threw.")]
    public static partial void ClosedHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(14, LogLevel.Debug, "Closing the WebSocket cleanly failed.")]
    public static partial void CloseFailed(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Warning, "Could not read the result of invocation {InvocationId}.")]
    public static partial void ResultBindingFailed(ILogger logger, string invocationId, Exception exception);

    [LoggerMessage(16, LogLevel.Warning, "The WebSocket to {Url} was refused with 404 after negotiating (attempt {Attempt}): the node reached does not know the connection; negotiating again.")]
    public static partial void NegotiatedConnectionUnknown(ILogger logger, string url, int attempt);
}
