using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hub.Tests.Backplane;

/// <summary>
/// A second, real hub protocol (JSON under another name) that counts how often it serializes a message. Being in
/// <see cref="IHubProtocolResolver.AllProtocols"/> makes the backplane serialize every message in it too, so its
/// count is how many times a node serialized a message, whatever the number of receivers.
/// </summary>
public sealed class CountingHubProtocol : IHubProtocol
{
    private readonly JsonHubProtocol _json = new();
    private int _serializations;

    public string Name => "counting-json";

    public int Version => _json.Version;

    public TransferFormat TransferFormat => _json.TransferFormat;

    /// <summary>How many messages this node serialized in this protocol.</summary>
    public int Serializations => Volatile.Read(ref _serializations);

    public bool IsVersionSupported(int version) => _json.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        _json.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
    {
        Interlocked.Increment(ref _serializations);
        _json.WriteMessage(message, output);
    }

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message)
    {
        Interlocked.Increment(ref _serializations);
        return _json.GetMessageBytes(message);
    }
}
