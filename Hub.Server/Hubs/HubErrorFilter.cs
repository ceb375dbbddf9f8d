using Hub.Server.Delivery;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Hubs;

/// <summary>
/// Turns refusals and store outages into <see cref="HubException"/>s, whose message SignalR passes to the client;
/// anything else stays an unexpected error (logged by SignalR, generic message to the client).
/// </summary>
public sealed class HubErrorFilter : IHubFilter
{
    /// <inheritdoc/>
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (Exception ex) when (ForClient(ex) is { } hubException)
        {
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
            throw hubException;
        }
    }

    // The exceptions whose message is meant for the client.
    private static HubException? ForClient(Exception exception) =>
        exception is HubRequestException or StoreUnavailableException ? new HubException(exception.Message) : null;
}
