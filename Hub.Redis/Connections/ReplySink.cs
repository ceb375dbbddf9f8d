namespace Hub.Redis.Connections;

/// <summary>
/// Collects the replies for one send (a single command, a batch, or a multi-channel SUBSCRIBE) and completes
/// once the last one arrives. Replies arrive in order on one reader loop, so no locking is needed.
/// </summary>
internal sealed class ReplySink
{
    private readonly RedisResult[] _results;

    // Continuations run asynchronously so callers never run on (and stall) the connection's reader loop.
    private readonly TaskCompletionSource<RedisResult[]> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReplySink(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _results = new RedisResult[count];
    }

    /// <summary>How many replies are expected.</summary>
    public int Count => _results.Length;

    /// <summary>Set (under the pending-queue lock) once this sink's replies are queued and its bytes are about to be written.</summary>
    public bool IsWritten { get; set; }

    /// <summary>The replies, in order; faults with <see cref="RedisConnectionException"/> if the connection fails first.</summary>
    public Task<RedisResult[]> Task => _completion.Task;

    public void SetReply(int index, RedisResult reply)
    {
        _results[index] = reply;
        if (index == _results.Length - 1)
        {
            _completion.TrySetResult(_results);
        }
    }

    public void Fail(Exception exception) => _completion.TrySetException(exception);
}
