using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hub.Contracts;
using Hub.Server.Delivery;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// How envelopes are kept in Redis. The server serializes the parts it knows before the append (the body); the
/// append script adds the id and the room sequence numbers it assigns, so nothing is serialized twice.
/// </summary>
internal static class RedisEnvelopeCodec
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The body: <c>{"ns":"chat","room":"general","from":"alice","to":null,"text":"hi","type":null,"payload":null}</c>.</summary>
    public static string EncodeBody(EnvelopeBody body) => JsonSerializer.Serialize(body, Json);

    /// <summary>
    /// A stream entry (inbox or history) as XRANGE returns it: <c>["1700000000000-42", ["b", "{body}", "s", "7"]]</c>,
    /// where <c>s</c> is "" (no room), a number (one room) or <c>{"a":3,"b":9}</c> (several rooms).
    /// </summary>
    public static Envelope DecodeEntry(StreamEntry entry)
    {
        var id = (string)entry.Id!;
        string? body = null, seq = null;
        foreach (var field in entry.Values)
        {
            switch ((string?)field.Name)
            {
                case "b": body = field.Value; break;
                case "s": seq = field.Value; break;
            }
        }
        using var doc = JsonDocument.Parse(body ?? "{}");
        return ToEnvelope(doc.RootElement, id, seq);
    }

    /// <summary>
    /// The announcement's trace member, <c>,"t":{"p":"00-...-01","s":"vendor=x"}</c> (W3C traceparent and
    /// tracestate), or <c>""</c> when the send is not traced: the common case costs nothing.
    /// </summary>
    public static string EncodeTrace(ActivityContext trace)
    {
        if (trace == default)
        {
            return "";
        }
        var parent = $"00-{trace.TraceId.ToHexString()}-{trace.SpanId.ToHexString()}-{(trace.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";
        return ",\"t\":" + JsonSerializer.Serialize(new TraceMember(parent, trace.TraceState), Json);
    }

    /// <summary>
    /// A published delivery: <c>{"id":"1700000000000-42","s":7,"r":["alice","bob"],"b":{body},"t":{trace}}</c>
    /// (<c>s</c> null, a number or an object of room sequence numbers; <c>t</c> only when the send was traced, so an
    /// announcement without it, from an older node, simply has no parent).
    /// </summary>
    public static StoredMessage DecodeDelivery(RedisValue payload)
    {
        using var doc = JsonDocument.Parse((ReadOnlyMemory<byte>)payload);
        var root = doc.RootElement;
        var s = root.GetProperty("s");
        var seq = s.ValueKind switch
        {
            JsonValueKind.Number => s.GetInt64().ToString(CultureInfo.InvariantCulture),
            JsonValueKind.Object => s.GetRawText(),
            _ => "",
        };
        var recipients = root.GetProperty("r").EnumerateArray().Select(r => r.GetString()!).ToArray();
        ActivityContext trace = default;
        if (root.TryGetProperty("t", out var t))
        {
            ActivityContext.TryParse(t.GetProperty("p").GetString(), t.TryGetProperty("s", out var s2) ? s2.GetString() : null, isRemote: true, out trace);
        }
        var envelope = ToEnvelope(root.GetProperty("b"), root.GetProperty("id").GetString()!, seq);
        MessageId.TryParse(envelope.Id, out var id);
        // Placeholder until the Redis store is partitioned (issue 12): one partition, the namespace counter.
        return new StoredMessage(envelope, recipients, Partition: 0, id.Counter, trace);
    }

    /// <summary>
    /// The envelope of <paramref name="body"/> stored under <paramref name="id"/>, with the room sequence numbers as
    /// the append script returns and stores them: <c>""</c> (no room), <c>7</c> (one room) or <c>{"a":3,"b":9}</c>.
    /// </summary>
    public static Envelope ToEnvelope(EnvelopeBody body, string id, string? seq)
    {
        MessageId.TryParse(id, out var parsed);
        long? single = null;
        Dictionary<string, long>? rooms = null;
        if (!string.IsNullOrEmpty(seq))
        {
            if (seq[0] == '{')
            {
                rooms = JsonSerializer.Deserialize<Dictionary<string, long>>(seq, Json);
            }
            else
            {
                single = long.Parse(seq, CultureInfo.InvariantCulture);
            }
        }
        return body.ToEnvelope(new MessageRef(DeliveryScope.User, parsed)) with { Seq = single, Rooms = rooms };
    }

    // The payload outlives the document it was read from, so it is cloned; JSON null is no payload.
    private static Envelope ToEnvelope(JsonElement body, string id, string? seq)
    {
        var b = body.Deserialize<EnvelopeBody>(Json)!;
        return ToEnvelope(b with { Payload = b.Payload is { ValueKind: not JsonValueKind.Null } p ? p.Clone() : null }, id, seq);
    }

    // The announcement's "t": W3C traceparent ("p") and tracestate ("s").
    private sealed record TraceMember(string P, string? S);
}
