using Hub.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Tests.Client;

/// <summary>
/// Loses the answer of the next <c>Send</c>, as a node dying between storing a message and answering does: the message
/// is stored and delivered, then the caller's connection is aborted before the result is written, and the result is
/// written only once the test says the client noticed (<see cref="ClientNoticed"/>), so it goes nowhere.
/// </summary>
internal sealed class AnswerLosingFilter : IHubFilter
{
    private readonly TaskCompletionSource _clientNoticed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _toLose = 1;

    /// <summary>The client saw its connection drop: the held answer may be written now, to a closed connection.</summary>
    public void ClientNoticed() => _clientNoticed.TrySetResult();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var result = await next(invocationContext);
        if (invocationContext.HubMethodName == HubMethods.Send && Interlocked.Exchange(ref _toLose, 0) == 1)
        {
            invocationContext.Context.Abort();
            await _clientNoticed.Task.WaitAsync(Infrastructure.TestTimeouts.Default);
        }
        return result;
    }
}
