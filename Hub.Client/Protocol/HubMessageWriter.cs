using System.Buffers;
using System.Text.Json;

namespace Hub.Client.Protocol;

/// <summary>Formats the JSON hub protocol messages the client sends.</summary>
internal static class HubMessageWriter
{
    /// <summary>The handshake request: JSON protocol, version 1.</summary>
    public static ReadOnlyMemory<byte> HandshakeRequest { get; } = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();

    /// <summary>A ping message (type 6).</summary>
    public static ReadOnlyMemory<byte> Ping { get; } = "{\"type\":6}\u001e"u8.ToArray();

    /// <summary>An invocation (type 1); without an id it is fire-and-forget and the server sends no completion.</summary>
    public static byte[] Invocation(string? invocationId, string target, IReadOnlyList<object?> arguments, JsonSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("type", 1);
            if (invocationId is not null)
            {
                writer.WriteString("invocationId", invocationId);
            }

            writer.WriteString("target", target);
            writer.WriteStartArray("arguments");
            foreach (var argument in arguments)
            {
                // The runtime type, not object: otherwise derived members would be dropped.
                JsonSerializer.Serialize(writer, argument, argument?.GetType() ?? typeof(object), options);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Terminate(buffer);
    }

    /// <summary>A completion (type 3) with an error, for server invocations that expect a client result we do not give.</summary>
    public static byte[] CompletionError(string invocationId, string error)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("type", 3);
            writer.WriteString("invocationId", invocationId);
            writer.WriteString("error", error);
            writer.WriteEndObject();
        }

        return Terminate(buffer);
    }

    private static byte[] Terminate(ArrayBufferWriter<byte> buffer)
    {
        buffer.GetSpan(1)[0] = MessageBuffer.RecordSeparator;
        buffer.Advance(1);
        return buffer.WrittenSpan.ToArray();
    }
}
