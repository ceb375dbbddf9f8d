using Hub.Contracts;
using Hub.Server.Common;
using Hub.Server.Telemetry;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Hubs;

/// <summary>
/// Turns refusals and store outages into <see cref="HubException"/>s, whose message SignalR passes to the client with
/// the error's code in a fixed suffix (<see cref="HubError.ToWireText"/>; docs/protocol.md, "Errors"), and
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
        catch (Exception ex) when (ForClient(ex) is { } error)
        {
            Log.RefusedCall(logger, invocationContext.HubMethodName, invocationContext.Context.UserIdentifier, ex.Message);
            metrics.Refused((invocationContext.Hub as INamespaceHub)?.NamespaceName, error.Code);
            throw ToHubException(error);
        }
    }

    /// <inheritdoc/>
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (ForClient(ex) is { } error)
        {
            Log.RefusedConnection(logger, context.Context.UserIdentifier, ex.Message);
            metrics.Refused((context.Hub as INamespaceHub)?.NamespaceName, error.Code);
            throw ToHubException(error);
        }
    }

    /// <summary>Whether <paramref name="exception"/> is a refusal this filter made (and already logged).</summary>
    public static bool IsRefusal(Exception? exception) => exception is HubException && exception.Data.Contains(RefusalMark);

    // The exceptions whose message is meant for the client, as the error the client gets.
    private static HubError? ForClient(Exception exception) => exception switch
    {
        HubRequestException refusal => new HubError(refusal.Message, refusal.Code, HubErrorCodes.IsRetryable(refusal.Code), refusal.RetryAfter),
        StoreUnavailableException => new HubError(exception.Message, HubErrorCodes.StoreUnavailable, IsRetryable: true),
        StoreOutcomeUnknownException => new HubError(exception.Message, HubErrorCodes.StoreOutcomeUnknown, IsRetryable: true),
        _ => null,
    };

    // Marked so the quiet logger can tell it from a HubException that SignalR or anything else throws.
    private static HubException ToHubException(HubError error)
    {
        var hubException = new HubException(error.ToWireText());
        hubException.Data[RefusalMark] = true;
        return hubException;
    }
}
