using Hub.Redis.Protocol;

namespace Hub.Redis.Connections;

internal sealed partial class PhysicalConnection
{
    /// <summary>
    /// Writes commands and waits for their replies, all within <paramref name="timeout"/>. Server errors come
    /// back as error results, not exceptions. If the timeout elapses after the commands were written, the
    /// connection is failed: their replies may still come, and only a fresh connection is certainly in step.
    /// </summary>
    /// <param name="commands">The commands, written back to back in one flush.</param>
    /// <param name="replyCount">How many replies they produce (usually one per command; SUBSCRIBE gives one per channel).</param>
    /// <param name="timeout">The command timeout, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="cancellationToken">Cancels waiting; the commands may still run.</param>
    /// <exception cref="RedisTimeoutException">No reply within the timeout.</exception>
    /// <exception cref="RedisConnectionException">The connection is or became unusable.</exception>
    public async Task<RedisResult[]> SendAsync(
        IReadOnlyList<RedisCommand> commands,
        int replyCount,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            var sink = await WriteAsync(commands, replyCount, cancellationToken).ConfigureAwait(false);
            return await sink.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        using var timeoutSource = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        ReplySink? written = null;
        try
        {
            written = await WriteAsync(commands, replyCount, linked.Token).ConfigureAwait(false);
            return await written.Task.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw OnTimeout(written, commands, timeout);
        }
    }

    /// <summary>
    /// Writes commands and returns once they are flushed, with the sink their replies will complete. Used
    /// where the write must be ordered under an outer lock but the reply awaited outside it (SUBSCRIBE).
    /// </summary>
    /// <exception cref="RedisConnectionException">The connection is or became unusable.</exception>
    public async Task<ReplySink> WriteAsync(IReadOnlyList<RedisCommand> commands, int replyCount, CancellationToken cancellationToken)
    {
        var sink = new ReplySink(replyCount);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_pendingLock)
            {
                if (_failure is { } failure)
                {
                    throw AsConnectionException(failure);
                }

                // Queued before the bytes go out, so the reader can never see a reply it has no entry for.
                for (var i = 0; i < replyCount; i++)
                {
                    _pending.Enqueue(new PendingReply(sink, i));
                }

                sink.IsWritten = true;
            }

            // From here on nothing may cancel: half a command on the wire would put every later reply out of step.
            try
            {
                for (var i = 0; i < commands.Count; i++)
                {
                    RespWriter.WriteCommand(_writer, commands[i].Name, commands[i].Arguments);
                }

                var flush = await _writer.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                if (flush.IsCanceled || flush.IsCompleted)
                {
                    throw new RedisConnectionException($"The {Kind} connection to {EndPoint} closed while writing.");
                }
            }
            catch (Exception ex)
            {
                var error = AsConnectionException(Volatile.Read(ref _failure) ?? ex);
                Fail(error);
                throw error;
            }
        }
        finally
        {
            _writeLock.Release();
        }

        return sink;
    }

    /// <summary>Waits for a sink written by <see cref="WriteAsync"/>, failing the connection on timeout as <see cref="SendAsync"/> does.</summary>
    /// <exception cref="RedisTimeoutException">No reply within the timeout.</exception>
    /// <exception cref="RedisConnectionException">The connection failed first.</exception>
    public async Task<RedisResult[]> WaitAsync(ReplySink sink, string description, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await sink.Task.WaitAsync(timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw OnTimeout(sink, [new RedisCommand(description)], timeout);
        }
    }

    private RedisTimeoutException OnTimeout(ReplySink? written, IReadOnlyList<RedisCommand> commands, TimeSpan timeout)
    {
        int pending;
        lock (_pendingLock)
        {
            pending = _pending.Count;
        }

        var what = commands.Count == 1 ? commands[0].Name : $"a batch of {commands.Count} commands starting with {commands[0].Name}";
        var exception = new RedisTimeoutException(
            $"Timeout after {(long)timeout.TotalMilliseconds} ms waiting for {what} on the {Kind} connection to {EndPoint} ({pending} replies outstanding).");
        if (written is { IsWritten: true })
        {
            LogCommandTimedOut(_logger, Kind, EndPoint, what, (long)timeout.TotalMilliseconds);
            Fail(new RedisConnectionException(
                $"The {Kind} connection to {EndPoint} was reset because {what} timed out.",
                exception));
        }

        return exception;
    }

    // The writer is completed by whoever holds the write lock last, so it is never completed under a writer's feet.
    private async Task CompleteWriterAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The stream is already closed; completing only returns the pipe's buffers.
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
