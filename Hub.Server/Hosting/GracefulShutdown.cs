using Hub.Server.Delivery;
using Hub.Server.Health;
using Microsoft.Extensions.Options;

namespace Hub.Server.Hosting;

/// <summary>
/// Leaves the cluster without losing anything: on SIGTERM the node reports not ready at once (so the balancer moves
/// away), keeps serving for <see cref="ShutdownOptions.DrainDelay"/>, then sends every client a close message that
/// asks it to reconnect (to another node) and closes it. Whatever was in flight stays pending in the store and is
/// redelivered wherever the client lands; a send whose answer was lost is retried safely with its idempotency key.
/// </summary>
/// <remarks>
/// It runs as an <see cref="IHostApplicationLifetime.ApplicationStopping"/> callback, which the host waits for (that is
/// the documented way to delay a shutdown): SignalR closes every connection from a callback of the same token, and
/// callbacks run last-registered first, so registering once the app has started puts this one ahead of SignalR's.
/// Kestrel stops only after, so <c>/readyz</c> keeps answering 503 meanwhile.
/// </remarks>
internal sealed partial class GracefulShutdown(
    IHostApplicationLifetime lifetime,
    ShutdownState state,
    IEnumerable<INamespaceDispatcher> dispatchers,
    IOptions<ShutdownOptions> options,
    TimeProvider time,
    ILogger<GracefulShutdown> logger) : IHostedService
{
    // Each close message gets this long at most: a client that does not read it is cut off all the same.
    private static readonly TimeSpan CloseMessageTimeout = TimeSpan.FromSeconds(1);

    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(Drain);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        return Task.CompletedTask;
    }

    // Blocks on purpose: the host waits for ApplicationStopping's callbacks before it stops anything.
    private void Drain()
    {
        state.BeginDraining();
        var drain = options.Value.DrainDelay;
        Log.Draining(logger, drain);
        if (drain > TimeSpan.Zero)
        {
            Task.Delay(drain, time).GetAwaiter().GetResult();
        }
        var closed = dispatchers.Sum(dispatcher => dispatcher.CloseConnectionsForShutdownAsync(CloseMessageTimeout).GetAwaiter().GetResult());
        Log.Closed(logger, closed);
    }
}
