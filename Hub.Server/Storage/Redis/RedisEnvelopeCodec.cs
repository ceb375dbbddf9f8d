using System.Diagnostics;
using System.Text.Json;
using Hub.Contracts;
using Hub.Server.Delivery;
using StackExchange.Redis;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// How envelopes are kept in Redis. The server serializes the body before the append; the append scripts store it as
/// the log entry's field <c>b</c> and announce it with the position they assign, so nothing is serialized twice. An
/// envelope's id and sequence number come from its scope and position (<see cref="EnvelopeBody.ToEnvelope"/>).
/// </summary>
internal static class RedisEnvelopeCodec
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The body: <c>{"ns":"chat","room":"general","from":"alice","to":null,"text":"hi","type":null,"payload":null}</c>.</summary>
    public static string EncodeBody(EnvelopeBody body) => JsonSerializer.Serialize(body, Json);

    /// <summary>
    /// A log entry as the scripts return it: its position (<c>1700000000000-42</c>) and its body
    /// (<c>{"ns":"chat","room":"general","from":"alice",...}</c>), in <paramref name="scope"/>.
    /// </summary>
    public static Envelope DecodeEntry(DeliveryScope scope, string position, string body)
    {
        MessageId.TryParse(position, out var at);
        using var doc = JsonDocument.Parse(body);
        return ToBody(doc.RootElement).ToEnvelope(new MessageRef(scope, at));
    }

    /// <summary>
    /// A room message as it reads now: the log entry (<see cref="DecodeEntry"/>) with its latest edit applied, given as
    /// the room's edits hash keeps it, <c>{e|d}|{edit position}|{edit body}</c>
    /// (<c>e|1700000000100-42|{"ns":"chat","room":"general","from":"alice","text":"fixed",...,"targetId":"1700000000000-42/r/general","deleted":false}</c>);
    /// <paramref name="state"/> <c>null</c> for a message never edited.
    /// </summary>
    public static Envelope DecodeEntry(DeliveryScope scope, string position, string body, string? state)
    {
        var message = DecodeEntry(scope, position, body);
        if (state is null)
        {
            return message;
        }
        var parts = state.Split('|', 3);
        return EditState.Of(DecodeEntry(scope, parts[1], parts[2])).ApplyTo(message);
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
    /// An announcement, as the append scripts publish it on a partition's channel:
    /// <code>
    /// {"p":3,"c":17,"id":"1700000000000-5/r/general","r":["alice","bob"],"b":{body},"t":{trace}}   a room or conversation message
    /// {"p":3,"c":17,"u":["alice","1700000000000-9","bob","1700000000000-4"],"b":{body},"t":{trace}} the same message in users' streams
    /// </code>
    /// <c>p</c> is the partition, <c>c</c> its counter (a list of users takes one value per user, from <c>c</c> up: each is
    /// one delivery), <c>t</c> only when the send was traced.
    /// </summary>
    public static IReadOnlyList<StoredMessage> DecodeAnnouncement(RedisValue payload)
    {
        using var doc = JsonDocument.Parse((ReadOnlyMemory<byte>)payload);
        var root = doc.RootElement;
        var partition = root.GetProperty("p").GetInt32();
        var counter = root.GetProperty("c").GetInt64();
        var body = ToBody(root.GetProperty("b"));
        ActivityContext trace = default;
        if (root.TryGetProperty("t", out var t))
        {
            ActivityContext.TryParse(t.GetProperty("p").GetString(), t.TryGetProperty("s", out var s2) ? s2.GetString() : null, isRemote: true, out trace);
        }
        if (root.TryGetProperty("u", out var users))
        {
            var messages = new List<StoredMessage>(users.GetArrayLength() / 2);
            for (var i = 0; i + 1 < users.GetArrayLength(); i += 2)
            {
                MessageId.TryParse(users[i + 1].GetString(), out var position);
                var envelope = body.ToEnvelope(new MessageRef(DeliveryScope.User, position));
                messages.Add(new StoredMessage(envelope, [users[i].GetString()!], partition, counter++, trace));
            }
            return messages;
        }
        MessageRef.TryParse(root.GetProperty("id").GetString(), out var at);
        var recipients = root.GetProperty("r").EnumerateArray().Select(r => r.GetString()!).ToArray();
        return [new StoredMessage(body.ToEnvelope(at), recipients, partition, counter, trace)];
    }

    // The payload outlives the document it was read from, so it is cloned; JSON null is no payload.
    private static EnvelopeBody ToBody(JsonElement body)
    {
        var b = body.Deserialize<EnvelopeBody>(Json)!;
        return b with { Payload = b.Payload is { ValueKind: not JsonValueKind.Null } p ? p.Clone() : null };
    }

    // The announcement's "t": W3C traceparent ("p") and tracestate ("s").
    private sealed record TraceMember(string P, string? S);
}
