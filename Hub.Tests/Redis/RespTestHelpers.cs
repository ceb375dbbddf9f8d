using System.Buffers;
using System.Text;
using Hub.Redis;
using Hub.Redis.Protocol;

namespace Hub.Tests.Redis;

/// <summary>Helpers to feed RESP wire text to the reader.</summary>
internal static class RespTestHelpers
{
    public static byte[] Bytes(string wire) => Encoding.UTF8.GetBytes(wire);

    /// <summary>Reads every reply in the bytes; returns them and how many bytes were left unconsumed.</summary>
    public static (List<RedisResult> Replies, long Remaining) ReadAll(ReadOnlySequence<byte> buffer)
    {
        var replies = new List<RedisResult>();
        while (RespReader.TryRead(ref buffer, out var reply))
        {
            replies.Add(reply);
        }

        return (replies, buffer.Length);
    }

    public static (List<RedisResult> Replies, long Remaining) ReadAll(byte[] bytes) => ReadAll(new ReadOnlySequence<byte>(bytes));

    /// <summary>Builds a multi-segment sequence, one segment per chunk, to exercise reads across segment boundaries.</summary>
    public static ReadOnlySequence<byte> Segmented(byte[] bytes, int chunkSize)
    {
        if (bytes.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < bytes.Length; offset += chunkSize)
        {
            var memory = bytes.AsMemory(offset, Math.Min(chunkSize, bytes.Length - offset));
            if (last is null)
            {
                first = last = new Segment(memory, 0);
            }
            else
            {
                last = last.Append(memory);
            }
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
