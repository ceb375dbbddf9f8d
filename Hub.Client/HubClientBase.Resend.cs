using System.Collections.Frozen;
using System.Runtime.ExceptionServices;
using Hub.Contracts;

namespace Hub.Client;

public abstract partial class HubClientBase
{
    // The error codes after which the very same keyed call is sent again: nothing was wrong with the request, the store
    // was not there (unavailable), or did not answer in time (outcome unknown: the message may be stored, and the
    // idempotency key makes the resend store it once either way).
    private static readonly FrozenSet<string> ResendableErrorCodes =
        FrozenSet.Create(StringComparer.Ordinal, HubErrorCodes.StoreUnavailable, HubErrorCodes.StoreOutcomeUnknown);

    /// <summary>
    /// Invokes a hub method whose repetition the server recognises (a send carrying its idempotency key) and returns its
    /// result; when it fails because the connection closed or is being re-established, or because the store was
    /// unavailable, waits for the connection to be back (and for the error's <see cref="HubInvocationException.RetryAfter"/>)
    /// and invokes it again with the same arguments, until <see cref="HubClientOptions.SendRetryTimeout"/> ends; then the
    /// last error is thrown. Any other error is thrown at once.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="method">The hub method, one of <see cref="HubMethods"/>.</param>
    /// <param name="arguments">The arguments, the same for every attempt.</param>
    /// <param name="cancellationToken">Stops waiting for the result and stops resending.</param>
    /// <returns>The result.</returns>
    /// <exception cref="HubInvocationException">The hub method failed; the message is the server's text, with its error code.</exception>
    /// <exception cref="HubConnectionClosedException">The connection was lost and not back within the window.</exception>
    /// <exception cref="InvalidOperationException">The client is not connected and not reconnecting.</exception>
    protected async Task<T> InvokeIdempotentAsync<T>(string method, IReadOnlyList<object?> arguments, CancellationToken cancellationToken)
    {
        if (_options.SendRetryTimeout <= TimeSpan.Zero)
        {
            return await InvokeAsync<T>(method, arguments, cancellationToken).ConfigureAwait(false);
        }

        using var window = new CancellationTokenSource(_options.SendRetryTimeout, _timeProvider);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, window.Token);
        for (var attempt = 1; ; attempt++)
        {
            Exception error;
            try
            {
                // Not bounded by the window: an attempt in flight is answered, or fails when its connection does.
                return await InvokeAsync<T>(method, arguments, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsResendable(ex))
            {
                error = ex;
            }

            var resend = !window.IsCancellationRequested;
            if (resend)
            {
                ClientLog.Resending(_logger, method, ClientLog.Reason(error), attempt + 1);
                try
                {
                    resend = await WaitToResendAsync(error, attempt, waiting.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (window.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    resend = false;
                }
            }

            if (!resend)
            {
                ExceptionDispatchInfo.Throw(error);
            }
        }
    }

    private bool IsResendable(Exception error) => error switch
    {
        HubConnectionClosedException => true,
        HubInvocationException invocation => ResendableErrorCodes.Contains(invocation.Code),

        // RequireConnection's refusal while the connection is being re-established; a stopped client's is final.
        InvalidOperationException => State == HubConnectionState.Reconnecting,
        _ => false,
    };

    // Waits for what the error asks (its RetryAfter, or the reconnect backoff for a store error on a live connection,
    // and for any failure after the first, so a connection that fails every call is not hammered while its close is
    // still being processed) and for the connection to be back; false when the client is disconnected for good.
    private async Task<bool> WaitToResendAsync(Exception error, int attempt, CancellationToken cancellationToken)
    {
        var retryAfter = (error as HubInvocationException)?.RetryAfter;
        if (error is HubInvocationException || attempt > 1)
        {
            await Task.Delay(retryAfter ?? NextDelay(attempt - 1), _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        Task<bool> connected;
        lock (_gate)
        {
            if (_state == HubConnectionState.Disconnected)
            {
                return false;
            }

            connected = _connectedSignal.Task;
        }

        return await connected.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
