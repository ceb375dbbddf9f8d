using System.Runtime.InteropServices;
using System.Text.Json;
using MessagePack;
using MessagePack.Formatters;

namespace Hub.Contracts.Serialization;

/// <summary>
/// MessagePack formatter of a <see cref="JsonElement"/> (a notification's <see cref="Envelope.Payload"/>): MessagePack-CSharp
/// has none, and the payload is arbitrary JSON that must come back unchanged, so it travels as its raw JSON text.
/// </summary>
public sealed class JsonElementFormatter : IMessagePackFormatter<JsonElement>
{
    /// <summary>The single instance.</summary>
    public static readonly JsonElementFormatter Instance = new();

    // Wire format: str (the element's raw UTF-8 JSON text, exactly as received), e.g. a0 / d9 1f '{"order":{"id":7,"items":[1,2]}}'.
    /// <inheritdoc/>
    public void Serialize(ref MessagePackWriter writer, JsonElement value, MessagePackSerializerOptions options)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteString(JsonMarshal.GetRawUtf8Value(value));
    }

    // Wire format: str holding JSON text -> the parsed element (nil -> default, an Undefined element).
    /// <inheritdoc/>
    public JsonElement Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return default;
        }

        var utf8 = reader.ReadStringSequence() ?? throw new MessagePackSerializationException("A JSON payload must be a string.");
        var json = new Utf8JsonReader(utf8);
        try
        {
            // ParseValue copies what it needs, so the element outlives the message buffer.
            return JsonElement.ParseValue(ref json);
        }
        catch (JsonException ex)
        {
            throw new MessagePackSerializationException("A JSON payload is not valid JSON.", ex);
        }
    }
}
