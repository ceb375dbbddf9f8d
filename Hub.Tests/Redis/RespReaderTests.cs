using System.Buffers;
using Hub.Redis;
using Hub.Redis.Protocol;
using static Hub.Tests.Redis.RespTestHelpers;

namespace Hub.Tests.Redis;

public class RespReaderTests
{
    [Fact]
    public void Simple_string_is_read()
    {
        var reply = RespReader.Read(Bytes("+PONG\r\n"));
        Assert.Equal(RedisResultKind.SimpleString, reply.Kind);
        Assert.Equal("PONG", reply.AsString());
        Assert.False(reply.IsNull);
    }

    [Fact]
    public void Ok_is_read_as_the_shared_instance()
    {
        Assert.Same(RedisResult.Ok, RespReader.Read(Bytes("+OK\r\n")));
    }

    [Fact]
    public void Empty_simple_string_is_read()
    {
        Assert.Equal(string.Empty, RespReader.Read(Bytes("+\r\n")).AsString());
    }

    [Fact]
    public void Error_is_read_with_the_server_text_and_throws_when_used()
    {
        var reply = RespReader.Read(Bytes("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"));
        Assert.True(reply.IsError);
        Assert.Equal("WRONGTYPE Operation against a key holding the wrong kind of value", reply.ErrorMessage);
        var ex = Assert.Throws<RedisServerException>(() => reply.AsString());
        Assert.Equal("WRONGTYPE", ex.ErrorCode);
        Assert.Equal(reply.ErrorMessage, ex.Message);
    }

    [Theory]
    [InlineData(":0\r\n", 0L)]
    [InlineData(":1000\r\n", 1000L)]
    [InlineData(":-1\r\n", -1L)]
    [InlineData(":9223372036854775807\r\n", long.MaxValue)]
    [InlineData(":-9223372036854775808\r\n", long.MinValue)]
    public void Integers_are_read(string wire, long expected)
    {
        var reply = RespReader.Read(Bytes(wire));
        Assert.Equal(RedisResultKind.Integer, reply.Kind);
        Assert.Equal(expected, reply.AsInt64());
    }

    [Fact]
    public void Bulk_string_is_read_and_owns_its_bytes()
    {
        var wire = Bytes("$5\r\nhello\r\n");
        var reply = RespReader.Read(wire);
        Array.Fill(wire, (byte)'x'); // the receive buffer is reused; the result must not change
        Assert.Equal(RedisResultKind.BulkString, reply.Kind);
        Assert.Equal("hello", reply.AsString());
        Assert.Equal("hello"u8.ToArray(), reply.AsBytes());
    }

    [Fact]
    public void Bulk_string_may_contain_crlf_and_binary()
    {
        byte[] payload = [(byte)'a', (byte)'\r', (byte)'\n', 0, 0xff, (byte)'b'];
        byte[] wire = [.. Bytes("$6\r\n"), .. payload, .. Bytes("\r\n")];
        var reply = RespReader.Read(wire);
        Assert.Equal(payload, reply.AsMemory().ToArray());
    }

    [Fact]
    public void Empty_bulk_string_is_not_null()
    {
        var reply = RespReader.Read(Bytes("$0\r\n\r\n"));
        Assert.False(reply.IsNull);
        Assert.Equal(string.Empty, reply.AsString());
    }

    [Fact]
    public void Null_bulk_string_is_null()
    {
        var reply = RespReader.Read(Bytes("$-1\r\n"));
        Assert.True(reply.IsNull);
        Assert.Equal(RedisResultKind.BulkString, reply.Kind);
        Assert.Null(reply.AsString());
        Assert.Null(reply.AsBytes());
        Assert.Null(reply.AsNullableInt64());
    }

    [Fact]
    public void Null_array_is_null()
    {
        var reply = RespReader.Read(Bytes("*-1\r\n"));
        Assert.True(reply.IsNull);
        Assert.Equal(RedisResultKind.Array, reply.Kind);
        Assert.Throws<InvalidCastException>(() => reply.AsArray());
    }

    [Fact]
    public void Empty_array_is_read()
    {
        var reply = RespReader.Read(Bytes("*0\r\n"));
        Assert.Empty(reply.AsArray());
        Assert.False(reply.IsNull);
    }

    [Fact]
    public void Array_of_every_type_is_read()
    {
        var reply = RespReader.Read(Bytes("*6\r\n+OK\r\n-ERR bad\r\n:7\r\n$3\r\nfoo\r\n$-1\r\n*-1\r\n"));
        var items = reply.AsArray();
        Assert.Equal(6, items.Count);
        Assert.Equal("OK", items[0].AsString());
        Assert.Equal("ERR bad", items[1].ErrorMessage);
        Assert.Equal(7, items[2].AsInt64());
        Assert.Equal("foo", items[3].AsString());
        Assert.True(items[4].IsNull);
        Assert.True(items[5].IsNull);
    }

    [Fact]
    public void Nested_arrays_are_read()
    {
        var reply = RespReader.Read(Bytes("*2\r\n*2\r\n:1\r\n:2\r\n*1\r\n*1\r\n$1\r\nx\r\n"));
        Assert.Equal(2, reply[0][1].AsInt64());
        Assert.Equal("x", reply[1][0][0].AsString());
    }

    [Fact]
    public void Several_replies_in_one_buffer_are_read_in_order()
    {
        var (replies, remaining) = ReadAll(Bytes(":1\r\n:2\r\n+three\r\n:4"));
        Assert.Equal(["1", "2", "three"], replies.Select(r => r.AsString()));
        Assert.Equal(2, remaining); // ":4" waits for its CRLF
    }

    [Theory]
    [InlineData("+OK\r\n")]
    [InlineData("-ERR x\r\n")]
    [InlineData(":-123\r\n")]
    [InlineData("$5\r\nhello\r\n")]
    [InlineData("$-1\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("*3\r\n$3\r\nfoo\r\n*2\r\n:1\r\n$-1\r\n+bar\r\n")]
    public void Partial_input_arriving_byte_by_byte_needs_more_data_until_complete(string wire)
    {
        var bytes = Bytes(wire);
        for (var length = 0; length < bytes.Length; length++)
        {
            var partial = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.False(RespReader.TryRead(ref partial, out _), $"complete after {length} of {bytes.Length} bytes");
            Assert.Equal(length, partial.Length); // nothing consumed
        }

        var whole = new ReadOnlySequence<byte>(bytes);
        Assert.True(RespReader.TryRead(ref whole, out var reply));
        Assert.True(whole.IsEmpty);
        Assert.NotNull(reply);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void Replies_split_across_buffer_segments_are_read(int chunkSize)
    {
        var bytes = Bytes("*3\r\n$10\r\n0123456789\r\n:-42\r\n+simple\r\n$2\r\nok\r\n");
        var (replies, remaining) = ReadAll(Segmented(bytes, chunkSize));
        Assert.Equal(0, remaining);
        Assert.Equal(2, replies.Count);
        Assert.Equal("0123456789", replies[0][0].AsString());
        Assert.Equal(-42, replies[0][1].AsInt64());
        Assert.Equal("simple", replies[0][2].AsString());
        Assert.Equal("ok", replies[1].AsString());
    }

    [Theory]
    [InlineData("?hello\r\n")]            // unknown type byte
    [InlineData("_\r\n")]                 // RESP3 null: we speak RESP2
    [InlineData(":abc\r\n")]              // not a number
    [InlineData(":\r\n")]                 // empty number
    [InlineData(":+5\r\n")]               // no plus sign
    [InlineData(":99999999999999999999\r\n")] // overflow
    [InlineData("$-2\r\n")]               // negative length other than -1
    [InlineData("*-5\r\n")]
    [InlineData("$3\r\nabcXY")]           // bulk not followed by CRLF
    [InlineData("$1x\r\n")]
    [InlineData("$999999999999\r\n")]     // above 512 MB
    public void Malformed_input_throws_a_protocol_error(string wire)
    {
        Assert.Throws<RedisProtocolException>(() => ReadAll(Bytes(wire)));
    }

    [Fact]
    public void Bulk_length_above_the_cap_is_rejected_before_any_data_arrives()
    {
        var wire = Bytes($"${RespReader.MaxBulkLength + 1}\r\n");
        Assert.Throws<RedisProtocolException>(() => ReadAll(wire));
        var atCap = new ReadOnlySequence<byte>(Bytes($"${RespReader.MaxBulkLength}\r\n"));
        Assert.False(RespReader.TryRead(ref atCap, out _)); // at the cap: valid, waits for the data
    }

    [Fact]
    public void Nesting_deeper_than_the_cap_is_rejected()
    {
        var wire = string.Concat(Enumerable.Repeat("*1\r\n", RespReader.MaxDepth + 1)) + ":1\r\n";
        Assert.Throws<RedisProtocolException>(() => ReadAll(Bytes(wire)));
        var allowed = string.Concat(Enumerable.Repeat("*1\r\n", RespReader.MaxDepth)) + ":1\r\n";
        Assert.Single(ReadAll(Bytes(allowed)).Replies);
    }

    [Fact]
    public void A_line_without_crlf_longer_than_the_cap_is_rejected()
    {
        var wire = new byte[RespReader.MaxLineLength + 10];
        Array.Fill(wire, (byte)'a');
        wire[0] = (byte)'+';
        Assert.Throws<RedisProtocolException>(() => ReadAll(wire));
        Assert.Throws<RedisProtocolException>(() => ReadAll(Bytes(":12345678901234567890123\r\n")));
    }

    [Fact]
    public void Result_accessors_convert_between_kinds()
    {
        Assert.Equal(42, RespReader.Read(Bytes("$2\r\n42\r\n")).AsInt64());
        Assert.Equal("42", RespReader.Read(Bytes(":42\r\n")).AsString());
        Assert.Equal(1.5, RespReader.Read(Bytes("$3\r\n1.5\r\n")).AsDouble());
        Assert.Equal(double.NegativeInfinity, RespReader.Read(Bytes("$4\r\n-inf\r\n")).AsDouble());
        Assert.Throws<InvalidCastException>(() => RespReader.Read(Bytes("$3\r\nabc\r\n")).AsInt64());
        Assert.Throws<InvalidCastException>(() => RespReader.Read(Bytes(":1\r\n")).AsArray());
        Assert.Throws<InvalidCastException>(() => RespReader.Read(Bytes("*0\r\n")).AsString());
    }
}
