using System.Diagnostics;
using Hub.Server.Common;

namespace Hub.Server.Telemetry;

/// <summary>
/// How a store call is measured (<c>hub.store.duration</c>, <c>hub.store.failures</c>) and traced (a <c>hub.store</c>
/// activity, a child of the caller's, e.g. <c>hub.send</c>): the one implementation behind the stores' decorators.
/// </summary>
public sealed class StoreCalls(HubMetrics metrics, TimeProvider time)
{
    /// <summary>Runs <paramref name="call"/>, one store call of <paramref name="operation"/> in <paramref name="ns"/>, measured.</summary>
    /// <param name="operation">The operation's name (<c>hub.store.operation</c>): append, ack, room_join...</param>
    /// <param name="ns">The namespace; <c>null</c> for a node-wide call (the admin overview's node reports and status).</param>
    /// <param name="call">The call.</param>
    /// <param name="cancellationToken">The call's token: a call it cancelled is not a failure.</param>
    public async Task<T> MeasureAsync<T>(string operation, string? ns, Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var activity = HubActivities.Source.StartActivity("hub.store", ActivityKind.Client);
        activity?.SetTag("hub.store.operation", operation);
        activity?.SetTag("hub.namespace", ns);
        var started = time.GetTimestamp();
        string? errorType = null;
        try
        {
            return await call();
        }
        // A refusal (not a member, unknown user...) is the store answering, and a cancelled call was given up by its
        // caller: neither is the store failing.
        catch (Exception ex) when (ex is not HubRequestException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            errorType = ex.GetType().Name;
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.SetTag("error.type", errorType);
            throw;
        }
        finally
        {
            metrics.StoreCalled(operation, ns, time.GetElapsedTime(started), errorType);
        }
    }
}
