namespace Hub.Client.Protocol;

/// <summary>
/// Collects received bytes and cuts them into messages terminated by the record separator (0x1E). A WebSocket frame
/// may hold several messages and one message may span several frames, so framing is independent of frames.
/// </summary>
internal sealed class MessageBuffer
{
    /// <summary>The JSON hub protocol's message terminator.</summary>
    public const byte RecordSeparator = 0x1E;

    private const int MinimumReceiveSize = 4096;

    private readonly int _maxMessageSize;
    private byte[] _buffer = new byte[MinimumReceiveSize * 2];
    private int _start;
    private int _end;

    // Bytes in [_start, _scanned) are known to hold no separator, so a long message is not rescanned per frame.
    private int _scanned;

    public MessageBuffer(int maxMessageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageSize, 1);
        _maxMessageSize = maxMessageSize;
    }

    /// <summary>Free space to receive into; invalidates messages returned earlier.</summary>
    public Memory<byte> GetReceiveMemory()
    {
        if (_start == _end)
        {
            _start = _end = _scanned = 0;
        }

        if (_buffer.Length - _end < MinimumReceiveSize)
        {
            var length = _end - _start;
            var target = _buffer;
            if (_buffer.Length - length < MinimumReceiveSize)
            {
                target = new byte[Math.Max(_buffer.Length * 2, length + MinimumReceiveSize)];
            }

            Buffer.BlockCopy(_buffer, _start, target, 0, length);
            _buffer = target;
            _scanned -= _start;
            _end = length;
            _start = 0;
        }

        return _buffer.AsMemory(_end);
    }

    /// <summary>Records that <paramref name="count"/> bytes were received into the memory from <see cref="GetReceiveMemory"/>.</summary>
    public void Advance(int count) => _end += count;

    /// <summary>Returns the next complete message (without its separator), valid until <see cref="GetReceiveMemory"/> is called.</summary>
    /// <exception cref="InvalidDataException">A message is larger than the maximum size.</exception>
    public bool TryReadMessage(out ReadOnlyMemory<byte> message)
    {
        var index = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf(RecordSeparator);
        if (index < 0)
        {
            _scanned = _end;
            if (_end - _start > _maxMessageSize)
            {
                throw new InvalidDataException($"The server sent a message larger than the maximum of {_maxMessageSize} bytes.");
            }

            message = default;
            return false;
        }

        var separatorAt = _scanned + index;
        if (separatorAt - _start > _maxMessageSize)
        {
            throw new InvalidDataException($"The server sent a message larger than the maximum of {_maxMessageSize} bytes.");
        }

        message = _buffer.AsMemory(_start, separatorAt - _start);
        _start = _scanned = separatorAt + 1;
        return true;
    }
}
