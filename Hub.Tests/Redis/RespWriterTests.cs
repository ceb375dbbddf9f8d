using System.Buffers;
using System.Text;
using Hub.Redis;
using Hub.Redis.Protocol;

namespace Hub.Tests.Redis;

public class RespWriterTests
{
    [Fact]
    public void Command_is_written_as_an_array_of_bulk_strings()
    {
        Assert.Equal("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n", Write(w => RespWriter.WriteCommand(w, "SET", ["key", "value"])));
    }

    [Fact]
    public void Command_without_arguments_is_a_one_element_array()
    {
        Assert.Equal("*1\r\n$4\r\nPING\r\n", Write(w => RespWriter.WriteCommand(w, "PING", [])));
    }

    [Fact]
    public void Every_argument_kind_is_written_as_a_bulk_string()
    {
        var bytes = new byte[] { 0, 13, 10, 255 };
        var wire = Write(w => RespWriter.WriteCommand(w, "X", ["héllo", 42L, -7, 1.5, double.PositiveInfinity, double.NegativeInfinity, bytes, RedisValue.Null]));
        Assert.Equal(
            "*9\r\n$1\r\nX\r\n$6\r\nhéllo\r\n$2\r\n42\r\n$2\r\n-7\r\n$3\r\n1.5\r\n$3\r\ninf\r\n$4\r\n-inf\r\n$4\r\n\0\r\n\u00ff\r\n$0\r\n\r\n",
            wire.Replace("\ufffd", "\u00ff"));
    }

    [Fact]
    public void Bytes_argument_is_copied_verbatim()
    {
        var payload = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var writer = new ArrayBufferWriter<byte>();
        RespWriter.WriteBulkString(writer, payload);
        var expected = Encoding.ASCII.GetBytes("$256\r\n").Concat(payload).Concat("\r\n"u8.ToArray()).ToArray();
        Assert.Equal(expected, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Large_string_argument_is_written_in_full()
    {
        var text = new string('é', 100_000);
        var writer = new ArrayBufferWriter<byte>(16);
        RespWriter.WriteBulkString(writer, text);
        var reply = RespReader.Read(writer.WrittenMemory);
        Assert.Equal(text, reply.AsString());
    }

    [Fact]
    public void Reply_encoders_write_the_documented_wire_format()
    {
        Assert.Equal("+OK\r\n", Write(w => RespWriter.WriteSimpleString(w, "OK")));
        Assert.Equal("-ERR oops\r\n", Write(w => RespWriter.WriteError(w, "ERR oops")));
        Assert.Equal(":-12\r\n", Write(w => RespWriter.WriteInteger(w, -12)));
        Assert.Equal("$-1\r\n", Write(RespWriter.WriteNullBulkString));
        Assert.Equal("*-1\r\n", Write(RespWriter.WriteNullArray));
        Assert.Equal("*2\r\n", Write(w => RespWriter.WriteArrayHeader(w, 2)));
        Assert.Throws<ArgumentException>(() => Write(w => RespWriter.WriteSimpleString(w, "a\r\nb")));
    }

    [Fact]
    public void What_the_writer_writes_the_reader_reads_back()
    {
        var writer = new ArrayBufferWriter<byte>();
        RespWriter.WriteArrayHeader(writer, 5);
        RespWriter.WriteSimpleString(writer, "fine");
        RespWriter.WriteError(writer, "NOSCRIPT No matching script");
        RespWriter.WriteInteger(writer, long.MinValue);
        RespWriter.WriteNullBulkString(writer);
        RespWriter.WriteCommand(writer, "GET", ["k"]);
        var reply = RespReader.Read(writer.WrittenMemory);
        Assert.Equal("fine", reply[0].AsString());
        Assert.Equal("NOSCRIPT No matching script", reply[1].ErrorMessage);
        Assert.Equal(long.MinValue, reply[2].AsInt64());
        Assert.True(reply[3].IsNull);
        Assert.Equal("k", reply[4][1].AsString());
    }

    private static string Write(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return Encoding.UTF8.GetString(writer.WrittenSpan);
    }
}
