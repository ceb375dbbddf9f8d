using System.Diagnostics;
using Hub.Server.Storage.Redis;

namespace Hub.Tests.Redis;

/// <summary>The announcement's optional trace member, read and written without Redis.</summary>
public sealed class RedisEnvelopeCodecTests
{
    [Fact]
    public void An_announcement_without_a_trace_from_an_older_node_is_read_with_no_parent()
    {
        var old = RedisEnvelopeCodec.DecodeDelivery("""{"id":"1700000000000-42","s":7,"r":["alice"],"b":{"ns":"chat","room":"general","from":"bob","text":"hi"}}""");

        Assert.Equal("1700000000000-42", old.Envelope.Id);
        Assert.Equal(default, old.Trace);
    }

    [Fact]
    public void A_trace_state_that_needs_escaping_survives_the_announcement()
    {
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, "v=\"q\\x\"");
        var payload = """{"id":"1700000000000-42","s":null,"r":[],"b":{"ns":"chat","from":"bob","text":"hi"}""" + RedisEnvelopeCodec.EncodeTrace(context) + "}";

        var read = RedisEnvelopeCodec.DecodeDelivery(payload).Trace;

        Assert.Equal(context.TraceId, read.TraceId);
        Assert.Equal(context.SpanId, read.SpanId);
        Assert.Equal(context.TraceState, read.TraceState);
        Assert.True(read.IsRemote);
    }
}
