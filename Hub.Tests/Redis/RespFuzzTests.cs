using System.Buffers;
using System.Diagnostics;
using System.Text;
using Hub.Redis;
using Hub.Redis.Protocol;

namespace Hub.Tests.Redis;

/// <summary>
/// The reader must answer every input with replies, "need more data" or <see cref="RedisProtocolException"/> —
/// never another exception, a hang, or memory out of proportion to the input.
/// </summary>
public class RespFuzzTests
{
    private static readonly string[] Fragments =
    [
        "+", "-", ":", "$", "*", "\r\n", "\r", "\n", "-1", "0", "1", "2", "3", "10", "-2", "abc", "OK", "ERR x",
        "99999999999", "536870913", "2147483648", "9223372036854775808", "?", "_", "%", ">", "\0",
    ];

    [Fact]
    public void Random_bytes_never_crash_the_reader()
    {
        var random = new Random(12345);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(1, 64)];
            random.NextBytes(bytes);
            AssertWellBehaved(bytes);
        }
    }

    [Fact]
    public void Random_resp_like_fragments_never_crash_the_reader()
    {
        var random = new Random(424242);
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder();
            var count = random.Next(1, 16);
            for (var j = 0; j < count; j++)
            {
                text.Append(Fragments[random.Next(Fragments.Length)]);
            }

            AssertWellBehaved(Encoding.UTF8.GetBytes(text.ToString()));
        }
    }

    [Fact]
    public void Every_truncation_of_valid_replies_needs_more_data()
    {
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var writer = new ArrayBufferWriter<byte>();
            WriteRandomReply(writer, random, depth: 0);
            var bytes = writer.WrittenSpan.ToArray();
            for (var cut = 0; cut < bytes.Length; cut++)
            {
                var partial = new ReadOnlySequence<byte>(bytes, 0, cut);
                Assert.False(RespReader.TryRead(ref partial, out _));
            }

            Assert.NotNull(RespReader.Read(bytes));
        }
    }

    [Fact]
    public void Random_corruption_of_valid_replies_never_crashes_the_reader()
    {
        var random = new Random(99);
        for (var i = 0; i < 5_000; i++)
        {
            var writer = new ArrayBufferWriter<byte>();
            WriteRandomReply(writer, random, depth: 0);
            var bytes = writer.WrittenSpan.ToArray();
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            AssertWellBehaved(bytes);
        }
    }

    [Theory]
    [InlineData("*2147483647\r\n")]
    [InlineData("*67108864\r\n:1\r\n:1\r\n")]
    [InlineData("$536870912\r\nabc")]
    [InlineData("*1000000\r\n*1000000\r\n*1000000\r\n")]
    public void Huge_declared_lengths_do_not_allocate_for_missing_data(string wire)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        AssertWellBehaved(Encoding.ASCII.GetBytes(wire));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1024 * 1024, "allocated more than 1 MB for a few bytes of input");
    }

    [Fact]
    public void Deep_nesting_is_rejected_without_stack_overflow()
    {
        var wire = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("*1\r\n", 100_000)));
        Assert.Throws<RedisProtocolException>(() => RespTestHelpers.ReadAll(wire));
    }

    private static void AssertWellBehaved(byte[] bytes)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            while (RespReader.TryRead(ref buffer, out var reply))
            {
                Assert.NotNull(reply);
            }
        }
        catch (RedisProtocolException)
        {
            // An allowed outcome.
        }

        Assert.True(stopwatch.ElapsedMilliseconds < 1000, "the reader took too long");
    }

    private static void WriteRandomReply(IBufferWriter<byte> writer, Random random, int depth)
    {
        switch (random.Next(depth < 3 ? 7 : 6))
        {
            case 0:
                RespWriter.WriteSimpleString(writer, "s" + random.Next());
                break;
            case 1:
                RespWriter.WriteError(writer, "ERR " + random.Next());
                break;
            case 2:
                RespWriter.WriteInteger(writer, random.NextInt64(long.MinValue, long.MaxValue));
                break;
            case 3:
                var payload = new byte[random.Next(0, 40)];
                random.NextBytes(payload);
                RespWriter.WriteBulkString(writer, payload);
                break;
            case 4:
                RespWriter.WriteNullBulkString(writer);
                break;
            case 5:
                RespWriter.WriteNullArray(writer);
                break;
            default:
                var count = random.Next(0, 5);
                RespWriter.WriteArrayHeader(writer, count);
                for (var i = 0; i < count; i++)
                {
                    WriteRandomReply(writer, random, depth + 1);
                }

                break;
        }
    }
}
