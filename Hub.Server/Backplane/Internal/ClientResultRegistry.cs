using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hub.Server.Backplane.Internal;

/// <summary>
/// The client-result invocations pending on this node, by invocation id. It is also the
/// <see cref="IInvocationBinder"/> used to parse completions that come back over the backplane, so their result is
/// deserialized straight into the type the caller awaits.
/// </summary>
internal sealed class ClientResultRegistry : IInvocationBinder
{
    private readonly ConcurrentDictionary<string, PendingClientResult> _pending = new(StringComparer.Ordinal);

    /// <summary>Number of pending invocations (diagnostics and tests).</summary>
    public int Count => _pending.Count;

    /// <summary>Registers an invocation awaited on this node; its task ends with the client's result or error.</summary>
    public Task<T> AddAwaited<T>(string connectionId, string invocationId)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = new PendingClientResult(
            connectionId,
            typeof(T),
            message =>
            {
                SetResult(completion, message);
                return Task.CompletedTask;
            },
            error =>
            {
                // Same exception type as SignalR's in-memory manager when the connection goes away.
                completion.TrySetException(new IOException(error));
                return Task.CompletedTask;
            });
        Add(invocationId, pending);
        return completion.Task;
    }

    /// <summary>Registers an invocation made by another node for a connection living here.</summary>
    public void AddProxy(string invocationId, string connectionId, Func<CompletionMessage, Task> forward, Func<string, Task> fail) =>
        Add(invocationId, new PendingClientResult(connectionId, typeof(RawResult), forward, fail));

    /// <summary>Forgets an invocation (timed out, cancelled, or its send failed).</summary>
    public void Remove(string invocationId) => _pending.TryRemove(invocationId, out _);

    /// <summary>The type the result of <paramref name="invocationId"/> deserializes to.</summary>
    public bool TryGetType(string invocationId, [NotNullWhen(true)] out Type? type)
    {
        if (_pending.TryGetValue(invocationId, out var pending))
        {
            type = pending.ResultType;
            return true;
        }

        type = null;
        return false;
    }

    /// <summary>
    /// Completes <paramref name="message"/>'s invocation if it is pending and belongs to <paramref name="connectionId"/>.
    /// A completion from another connection is ignored (a client cannot answer someone else's invocation), as is a
    /// late one (the invocation timed out or its connection closed).
    /// </summary>
    public async Task<bool> TryCompleteAsync(string connectionId, CompletionMessage message)
    {
        if (message.InvocationId is not { } invocationId
            || !_pending.TryGetValue(invocationId, out var pending)
            || !string.Equals(pending.ConnectionId, connectionId, StringComparison.Ordinal)
            || !_pending.TryRemove(new KeyValuePair<string, PendingClientResult>(invocationId, pending)))
        {
            return false;
        }

        await pending.Complete(message).ConfigureAwait(false);
        return true;
    }

    /// <summary>Ends one invocation with an error raised by the node owning its connection.</summary>
    public async Task<bool> TryFailAsync(string invocationId, string connectionId, string error)
    {
        if (!_pending.TryGetValue(invocationId, out var pending)
            || !string.Equals(pending.ConnectionId, connectionId, StringComparison.Ordinal)
            || !_pending.TryRemove(new KeyValuePair<string, PendingClientResult>(invocationId, pending)))
        {
            return false;
        }

        await pending.Fail(error).ConfigureAwait(false);
        return true;
    }

    /// <summary>Fails every invocation pending for <paramref name="connectionId"/> (it disconnected).</summary>
    public async Task FailConnectionAsync(string connectionId, string error)
    {
        foreach (var (invocationId, pending) in _pending)
        {
            if (string.Equals(pending.ConnectionId, connectionId, StringComparison.Ordinal)
                && _pending.TryRemove(new KeyValuePair<string, PendingClientResult>(invocationId, pending)))
            {
                await pending.Fail(error).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Fails every invocation that is still pending (the node is shutting down).</summary>
    public void FailAll(string error)
    {
        foreach (var (invocationId, pending) in _pending)
        {
            if (_pending.TryRemove(new KeyValuePair<string, PendingClientResult>(invocationId, pending)))
            {
                // Proxies are not answered: the invoking node's own timeout covers them, and publishing
                // during shutdown would race the Redis client's disposal.
                if (pending.ResultType != typeof(RawResult))
                {
                    _ = pending.Fail(error);
                }
            }
        }
    }

    /// <inheritdoc />
    public Type GetReturnType(string invocationId) =>
        TryGetType(invocationId, out var type)
            ? type
            : throw new InvalidOperationException($"No client result is pending for invocation '{invocationId}'.");

    /// <inheritdoc />
    public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
        throw new NotSupportedException("Only completions travel back over the backplane.");

    /// <inheritdoc />
    public Type GetStreamItemType(string streamId) =>
        throw new NotSupportedException("Only completions travel back over the backplane.");

    private static void SetResult<T>(TaskCompletionSource<T> completion, CompletionMessage message)
    {
        if (message.HasResult)
        {
            if (message.Result is T value)
            {
                completion.TrySetResult(value);
            }
            else if (message.Result is null && default(T) is null)
            {
                completion.TrySetResult(default!);
            }
            else
            {
                completion.TrySetException(new InvalidDataException(
                    $"The client's result is a {message.Result?.GetType().Name ?? "null"}, not a {typeof(T).Name}."));
            }
        }
        else
        {
            // SignalR's own wording for both cases, so callers see the same thing with or without the backplane.
            completion.TrySetException(new HubException(message.Error ?? "Client didn't provide a result."));
        }
    }

    private void Add(string invocationId, PendingClientResult pending)
    {
        if (!_pending.TryAdd(invocationId, pending))
        {
            throw new InvalidOperationException($"Invocation id '{invocationId}' is already pending.");
        }
    }
}
