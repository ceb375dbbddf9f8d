using Hub.Redis;

namespace Hub.Server.Backplane.Internal;

/// <summary>The backplane's log messages. Event ids 300-399 belong to the backplane; each id is used once.</summary>
internal static partial class BackplaneLog
{
    [LoggerMessage(300, LogLevel.Information, "Redis backplane for hub {Hub} started as node {Node}.")]
    public static partial void Started(ILogger logger, string hub, string node);

    [LoggerMessage(301, LogLevel.Error, "Redis backplane for hub {Hub} could not subscribe to its channels; retrying on the next call.")]
    public static partial void StartFailed(ILogger logger, string hub, Exception exception);

    [LoggerMessage(302, LogLevel.Debug, "Subscribing to {Channel}.")]
    public static partial void Subscribing(ILogger logger, string channel);

    [LoggerMessage(303, LogLevel.Debug, "Unsubscribing from {Channel}.")]
    public static partial void Unsubscribing(ILogger logger, string channel);

    [LoggerMessage(304, LogLevel.Warning,
        "No node acknowledged {Action} of connection {ConnectionId} to group {Group} within {Timeout}: the connection exists nowhere or its node is unresponsive. Treated as a no-op.")]
    public static partial void GroupAckTimedOut(ILogger logger, GroupAction action, string connectionId, string group, TimeSpan timeout);

    [LoggerMessage(305, LogLevel.Error, "Applying {Action} of connection {ConnectionId} to group {Group} for node {Origin} failed; no ack sent.")]
    public static partial void GroupCommandFailed(ILogger logger, GroupAction action, string connectionId, string group, string origin, Exception exception);

    [LoggerMessage(306, LogLevel.Warning, "Writing a backplane message to connection {ConnectionId} failed.")]
    public static partial void WriteFailed(ILogger logger, string connectionId, Exception exception);

    [LoggerMessage(307, LogLevel.Error, "Dropped an unreadable message from channel {Channel}.")]
    public static partial void InvalidMessage(ILogger logger, string channel, Exception exception);

    [LoggerMessage(308, LogLevel.Warning, "Forwarding the client result of invocation {InvocationId} to node {Origin} failed; that node will time out.")]
    public static partial void ResultForwardFailed(ILogger logger, string invocationId, string origin, Exception exception);

    [LoggerMessage(309, LogLevel.Debug, "Ignored a client result for invocation {InvocationId} from connection {ConnectionId}: not pending (late, duplicate, or not that connection's).")]
    public static partial void ResultIgnored(ILogger logger, string invocationId, string connectionId);

    [LoggerMessage(310, LogLevel.Warning, "The client result of invocation {InvocationId} came back in protocol {Protocol}, which could not be read here.")]
    public static partial void ResultUnreadable(ILogger logger, string invocationId, string protocol, Exception? exception);

    [LoggerMessage(311, LogLevel.Warning, "Redis {Connection} connection lost; backplane messages published meanwhile are lost for this node.")]
    public static partial void ConnectionLost(ILogger logger, RedisConnectionKind connection, Exception? exception);

    [LoggerMessage(312, LogLevel.Information, "Redis {Connection} connection restored; backplane subscriptions are restored with it.")]
    public static partial void ConnectionRestored(ILogger logger, RedisConnectionKind connection);

    [LoggerMessage(313, LogLevel.Warning, "Client result of invocation {InvocationId} for connection {ConnectionId} timed out after {Timeout}.")]
    public static partial void ResultTimedOut(ILogger logger, string invocationId, string connectionId, TimeSpan timeout);
}
