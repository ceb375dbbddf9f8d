using System.Text.Json;
using Hub.Contracts;
using Hub.Contracts.Serialization;
using MessagePack;

namespace Hub.Tests.Client;

/// <summary>The MessagePack settings both ends share: an envelope's JSON payload survives a round trip.</summary>
public sealed class JsonElementFormatterTests
{
    [Theory]
    [InlineData("""{"a":{"b":[1,2.50,"x",null,true,{"c":-0.0}]},"e":"\u00e9"}""")]
    [InlineData("42")]
    [InlineData("\"just a string\"")]
    [InlineData("null")]
    public void A_payload_round_trips_as_the_same_json_text(string json)
    {
        var envelope = new Envelope("1-1", "notifications", null, "api", "bob", null, DateTimeOffset.UnixEpoch, null, false,
            Type: "t", Payload: JsonDocument.Parse(json).RootElement);

        var copy = MessagePackSerializer.Deserialize<Envelope>(MessagePackSerializer.Serialize(envelope, HubMessagePack.SerializerOptions), HubMessagePack.SerializerOptions);

        Assert.Equal(json, copy.Payload!.Value.GetRawText());
        Assert.Equal(envelope with { Payload = null }, copy with { Payload = null });
    }

    [Fact]
    public void An_envelope_without_payload_stays_without()
    {
        var envelope = new Envelope("1-1", "chat", "general", "alice", null, "hi", DateTimeOffset.UnixEpoch, 1, false);

        var copy = MessagePackSerializer.Deserialize<Envelope>(MessagePackSerializer.Serialize(envelope, HubMessagePack.SerializerOptions), HubMessagePack.SerializerOptions);

        Assert.Null(copy.Payload);
        Assert.Equal(envelope, copy);
    }
}
