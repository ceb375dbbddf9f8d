using Hub.Server.Delivery;
using Hub.Server.Telemetry;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Hubs;

/// <summary>
/// Turns refusals and store outages into <see cref="HubException"/>s, whose message SignalR passes to the client, and
/// logs each as one line without a stack trace (refused calls at Debug, refused connections at Information): they
/// are the client's doing, or an outage that the store's health already logs once per change. SignalR's own Error
/// line for these is dropped by <see cref="QuietRefusalsLoggerFactory"/>. Anything else stays an unexpected error:
/// SignalR logs it at Error with its stack, and the client gets a generic message.
/// </summary>
public sealed partial class HubErrorFilter(ILogger<HubErrorFilter> logger, HubMetrics metrics) : IHubFilter
{
    private const string RefusalMark = "hub.refusal";

    /// <inheritdoc/>
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (Exception ex) when (ForClient(ex) is { } hubException)
        {
            RefusedCall(logger, invocationContext.HubMethodName, invocationContext.Context.UserIdentifier, ex.Message);
            metrics.Refused((invocationContext.Hub as INamespaceHub)?.NamespaceName, ReasonOf(ex));
            throw hubException;
        }
    }

    /// <inheritdoc/>
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (ForClient(ex) is { } hubException)
        {
            RefusedConnection(logger, context.Context.UserIdentifier, ex.Message);
            metrics.Refused((context.Hub as INamespaceHub)?.NamespaceName, ReasonOf(ex));
            throw hubException;
        }
    }

    /// <summary>Whether <paramref name="exception"/> is a refusal this filter made (and already logged).</summary>
    public static bool IsRefusal(Exception? exception) => exception is HubException && exception.Data.Contains(RefusalMark);

    // The exceptions whose message is meant for the client, marked so the quiet logger can tell them from a
    // HubException that SignalR or anything else throws.
    private static HubException? ForClient(Exception exception)
    {
        if (exception is not (HubRequestException or StoreUnavailableException or StoreOutcomeUnknownException))
        {
            return null;
        }
        var hubException = new HubException(exception.Message);
        hubException.Data[RefusalMark] = true;
        return hubException;
    }

    private static string ReasonOf(Exception exception) =>
        exception is HubRequestException refusal ? HubMetrics.ReasonOf(refusal.StatusCode)
        : exception is StoreOutcomeUnknownException ? "store_outcome_unknown" : "store_unavailable";

    [LoggerMessage(600, LogLevel.Debug, "Refused {Method} for {User}: {Reason}")]
    private static partial void RefusedCall(ILogger logger, string method, string? user, string reason);

    [LoggerMessage(601, LogLevel.Information, "Refused a connection of {User}: {Reason}")]
    private static partial void RefusedConnection(ILogger logger, string? user, string reason);
}
