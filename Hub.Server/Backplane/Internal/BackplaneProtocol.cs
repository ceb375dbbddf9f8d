using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hub.Server.Backplane.Internal;

/// <summary>
/// The backplane's own compact wire format. Primitives (see <see cref="BackplaneWriter"/>): <c>u8</c> a byte,
/// <c>varint</c> an unsigned LEB128 integer, <c>str</c> a varint UTF-8 length then the bytes, <c>bytes</c> a varint
/// length then the bytes. Every message starts with a format version byte so a node can reject what a newer node
/// sends instead of misreading it. Decoders throw <see cref="InvalidDataException"/> on anything malformed.
/// </summary>
internal static class BackplaneProtocol
{
    /// <summary>The one version this node writes and reads.</summary>
    public const byte Version = 1;

    private const byte ExpectsResultFlag = 1;
    private const byte ReturnCompletion = 0;
    private const byte ReturnError = 1;

    // Invocation (channels all, group:*, connection:*, user:*):
    //   u8      version (1)
    //   str     origin node name
    //   u8      flags (bit 0: the origin waits for a client result)
    //   str     invocation id                      (only when bit 0 is set)
    //   varint  excluded connection count, then that many str connection ids
    //   varint  protocol count, then that many (str protocol name, bytes serialized hub message)
    // The hub message is serialized here once per protocol the node has (SerializedHubMessage caches each form, so
    // the node's own connections later reuse the same bytes); receivers write those bytes as they are.
    public static ReadOnlyMemory<byte> WriteInvocation(
        string origin,
        string? invocationId,
        IReadOnlyList<string>? excludedConnectionIds,
        SerializedHubMessage message,
        IReadOnlyList<IHubProtocol> protocols)
    {
        var writer = new BackplaneWriter();
        writer.WriteByte(Version);
        writer.WriteString(origin);
        writer.WriteByte(invocationId is null ? (byte)0 : ExpectsResultFlag);
        if (invocationId is not null)
        {
            writer.WriteString(invocationId);
        }

        var excluded = excludedConnectionIds ?? [];
        writer.WriteVarUInt((ulong)excluded.Count);
        foreach (var id in excluded)
        {
            writer.WriteString(id);
        }

        writer.WriteVarUInt((ulong)protocols.Count);
        foreach (var protocol in protocols)
        {
            writer.WriteString(protocol.Name);
            writer.WriteBytes(message.GetSerializedMessage(protocol).Span);
        }

        return writer.WrittenMemory;
    }

    // Invocation: the layout is documented on WriteInvocation.
    public static BackplaneInvocation ReadInvocation(ReadOnlyMemory<byte> payload)
    {
        var reader = new BackplaneReader(payload);
        CheckVersion(ref reader);
        var origin = reader.ReadString();
        var flags = reader.ReadByte();
        var invocationId = (flags & ExpectsResultFlag) != 0 ? reader.ReadString() : null;

        var excludedCount = reader.ReadLength();
        var excluded = excludedCount == 0 ? [] : new string[excludedCount];
        for (var i = 0; i < excludedCount; i++)
        {
            excluded[i] = reader.ReadString();
        }

        var protocolCount = reader.ReadLength();
        var serialized = new SerializedMessage[protocolCount];
        for (var i = 0; i < protocolCount; i++)
        {
            serialized[i] = new SerializedMessage(reader.ReadString(), reader.ReadBytes());
        }

        CheckEnd(ref reader);
        return new BackplaneInvocation(origin, invocationId, excluded, new SerializedHubMessage(serialized));
    }

    // Group command (channel internal:groups):
    //   u8      version (1)
    //   u8      action (1 add, 2 remove)
    //   varint  ack id
    //   str     origin node name (the ack goes to its internal:ack channel)
    //   str     connection id
    //   str     group name
    public static ReadOnlyMemory<byte> WriteGroupCommand(GroupCommand command)
    {
        var writer = new BackplaneWriter(64 + command.ConnectionId.Length + command.GroupName.Length);
        writer.WriteByte(Version);
        writer.WriteByte((byte)command.Action);
        writer.WriteVarUInt((ulong)command.AckId);
        writer.WriteString(command.Origin);
        writer.WriteString(command.ConnectionId);
        writer.WriteString(command.GroupName);
        return writer.WrittenMemory;
    }

    // Group command: the layout is documented on WriteGroupCommand.
    public static GroupCommand ReadGroupCommand(ReadOnlyMemory<byte> payload)
    {
        var reader = new BackplaneReader(payload);
        CheckVersion(ref reader);
        var action = (GroupAction)reader.ReadByte();
        if (action is not (GroupAction.Add or GroupAction.Remove))
        {
            throw new InvalidDataException($"Unknown group action {(byte)action}.");
        }

        var command = new GroupCommand((long)reader.ReadVarUInt(), reader.ReadString(), action, reader.ReadString(), reader.ReadString());
        CheckEnd(ref reader);
        return command;
    }

    // Ack (channel internal:ack:{node}):
    //   u8      version (1)
    //   varint  ack id of the group command it answers
    public static ReadOnlyMemory<byte> WriteAck(long ackId)
    {
        var writer = new BackplaneWriter(11);
        writer.WriteByte(Version);
        writer.WriteVarUInt((ulong)ackId);
        return writer.WrittenMemory;
    }

    // Ack: the layout is documented on WriteAck.
    public static long ReadAck(ReadOnlyMemory<byte> payload)
    {
        var reader = new BackplaneReader(payload);
        CheckVersion(ref reader);
        var ackId = (long)reader.ReadVarUInt();
        CheckEnd(ref reader);
        return ackId;
    }

    // Client result (channel internal:return:{node}):
    //   u8      version (1)
    //   str     invocation id
    //   str     connection id that answered
    //   u8      kind: 0 = the client's completion, 1 = an error raised by the owning node
    //   kind 0: str protocol name, bytes completion message serialized in that protocol (parsed by the receiver
    //           with its own binder, so the result is deserialized once, straight into the awaited type)
    //   kind 1: str error text
    public static ReadOnlyMemory<byte> WriteReturn(ClientReturn message)
    {
        var writer = new BackplaneWriter(64 + message.Completion.Length);
        writer.WriteByte(Version);
        writer.WriteString(message.InvocationId);
        writer.WriteString(message.ConnectionId);
        if (message.Error is not null)
        {
            writer.WriteByte(ReturnError);
            writer.WriteString(message.Error);
        }
        else
        {
            writer.WriteByte(ReturnCompletion);
            writer.WriteString(message.ProtocolName!);
            writer.WriteBytes(message.Completion.Span);
        }

        return writer.WrittenMemory;
    }

    // Client result: the layout is documented on WriteReturn.
    public static ClientReturn ReadReturn(ReadOnlyMemory<byte> payload)
    {
        var reader = new BackplaneReader(payload);
        CheckVersion(ref reader);
        var invocationId = reader.ReadString();
        var connectionId = reader.ReadString();
        var kind = reader.ReadByte();
        ClientReturn message = kind switch
        {
            ReturnCompletion => new ClientReturn(invocationId, connectionId, reader.ReadString(), reader.ReadBytes(), null),
            ReturnError => new ClientReturn(invocationId, connectionId, null, default, reader.ReadString()),
            _ => throw new InvalidDataException($"Unknown client result kind {kind}."),
        };
        CheckEnd(ref reader);
        return message;
    }

    private static void CheckVersion(ref BackplaneReader reader)
    {
        var version = reader.ReadByte();
        if (version != Version)
        {
            throw new InvalidDataException($"Backplane message version {version} is not supported (this node speaks {Version}).");
        }
    }

    private static void CheckEnd(ref BackplaneReader reader)
    {
        if (!reader.End)
        {
            throw new InvalidDataException("A backplane message has trailing bytes.");
        }
    }
}
