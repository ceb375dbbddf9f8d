using Hub.Redis.Protocol;

namespace Hub.Redis.Connections;

internal sealed partial class PhysicalConnection
{
    private void StartReading() => _readLoop = Task.Run(ReadLoopAsync);

    // The single reader: decodes replies as bytes arrive and hands each to the oldest pending caller
    // (or to the push handler, for pub/sub messages). Any error fails the connection; it never throws.
    private async Task ReadLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var read = await _reader.ReadAsync().ConfigureAwait(false);
                var buffer = read.Buffer;
                try
                {
                    if (read.IsCanceled)
                    {
                        break;
                    }

                    while (RespReader.TryRead(ref buffer, out var reply))
                    {
                        Dispatch(reply);
                    }

                    if (read.IsCompleted)
                    {
                        error = buffer.IsEmpty
                            ? new RedisConnectionException($"Redis at {EndPoint} closed the {Kind} connection.")
                            : new RedisProtocolException($"Redis at {EndPoint} closed the {Kind} connection in the middle of a reply.");
                        break;
                    }
                }
                finally
                {
                    // Consumed up to the last whole reply; examined everything, so the next read waits for new bytes.
                    _reader.AdvanceTo(buffer.Start, buffer.End);
                }
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }

        Fail(error ?? new RedisConnectionException($"The {Kind} connection to {EndPoint} was closed."));
        await _reader.CompleteAsync().ConfigureAwait(false);
    }

    private void Dispatch(RedisResult reply)
    {
        if (_pushHandler is not null && _pushHandler(reply))
        {
            return;
        }

        PendingReply pending;
        lock (_pendingLock)
        {
            if (!_pending.TryDequeue(out pending))
            {
                // A reply nobody asked for means the stream is out of step; nothing after it can be trusted.
                throw new RedisProtocolException($"Redis at {EndPoint} sent a reply with no pending command: {Truncate(reply)}");
            }
        }

        pending.Sink.SetReply(pending.Index, reply);
    }

    private static string Truncate(RedisResult reply)
    {
        var text = reply.ToString();
        return text.Length <= 100 ? text : text[..100] + "...";
    }
}
