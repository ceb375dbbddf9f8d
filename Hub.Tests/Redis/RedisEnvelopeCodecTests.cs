using System.Diagnostics;
using Hub.Server.Delivery;
using Hub.Server.Storage.Redis;

namespace Hub.Tests.Redis;

/// <summary>The announcements the append scripts publish, read without Redis.</summary>
public sealed class RedisEnvelopeCodecTests
{
    [Fact]
    public void A_room_announcement_carries_its_partition_counter_recipients_and_the_id_of_its_scope()
    {
        var read = Assert.Single(RedisEnvelopeCodec.DecodeAnnouncement(
            """{"p":3,"c":17,"id":"1700000000000-42/r/general","r":["alice","bob"],"b":{"ns":"chat","room":"general","from":"bob","text":"hi"}}"""));

        Assert.Equal((3, 17L), (read.Partition, read.Counter));
        Assert.Equal(["alice", "bob"], read.Recipients);
        Assert.Equal("1700000000000-42/r/general", read.Envelope.Id);
        Assert.Equal(42, read.Envelope.Seq);
        Assert.Equal(default, read.Trace);
    }

    [Fact]
    public void A_user_stream_announcement_is_one_delivery_per_recipient_with_consecutive_counters()
    {
        var read = RedisEnvelopeCodec.DecodeAnnouncement(
            """{"p":5,"c":9,"u":["alice","1700000000000-3","bob","1700000000001-8"],"b":{"ns":"notifications","from":"api","type":"t","payload":{"x":1}}}""");

        Assert.Equal([("alice", "1700000000000-3", 9L), ("bob", "1700000000001-8", 10L)],
            read.Select(m => (Assert.Single(m.Recipients), m.Envelope.Id, m.Counter)));
        Assert.All(read, m => Assert.Null(m.Envelope.Seq));
        Assert.Equal(1, read[1].Envelope.Payload!.Value.GetProperty("x").GetInt32());
    }

    [Fact]
    public void A_trace_state_that_needs_escaping_survives_the_announcement()
    {
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, "v=\"q\\x\"");
        var payload = """{"p":0,"c":1,"id":"1700000000000-42/d/alice/bob","r":[],"b":{"ns":"chat","from":"bob","text":"hi"}""" + RedisEnvelopeCodec.EncodeTrace(context) + "}";

        var read = Assert.Single(RedisEnvelopeCodec.DecodeAnnouncement(payload)).Trace;

        Assert.Equal(context.TraceId, read.TraceId);
        Assert.Equal(context.SpanId, read.SpanId);
        Assert.Equal(context.TraceState, read.TraceState);
        Assert.True(read.IsRemote);
    }

    [Fact]
    public void A_log_entry_becomes_the_envelope_of_its_scope_and_position()
    {
        var envelope = RedisEnvelopeCodec.DecodeEntry(DeliveryScope.Conversation("bob", "alice"), "1700000000000-7", """{"ns":"chat","from":"bob","to":"alice","text":"hi"}""");

        Assert.Equal("1700000000000-7/d/alice/bob", envelope.Id);
        Assert.Equal(7, envelope.Seq);
    }
}
