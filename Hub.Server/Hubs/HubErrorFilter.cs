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
        catch (HubRequestException ex)
        {
            throw new HubException(ex.Message);
        }
        catch (StoreUnavailableException ex)
        {
            throw new HubException(ex.Message);
        }
    }

    /// <inheritdoc/>
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        try
        {
            await next(context);
        }
        catch (HubRequestException ex)
        {
            throw new HubException(ex.Message);
        }
        catch (StoreUnavailableException ex)
        {
            throw new HubException(ex.Message);
        }
    }
}
