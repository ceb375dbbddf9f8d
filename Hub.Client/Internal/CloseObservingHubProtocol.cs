using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hub.Client.Internal;

/// <summary>
/// A hub protocol that delegates everything and remembers the server's close message: the official client turns it
/// into an exception text and drops its <c>allowReconnect</c> flag, which <see cref="HubConnectionClosedException"/> reports.
/// </summary>
internal sealed class CloseObservingHubProtocol(IHubProtocol inner) : IHubProtocol
{
    private CloseMessage? _lastClose;

    /// <summary>The close message the server sent, if any.</summary>
    public CloseMessage? LastClose => Volatile.Read(ref _lastClose);

    /// <inheritdoc/>
    public string Name => inner.Name;

    /// <inheritdoc/>
    public int Version => inner.Version;

    /// <inheritdoc/>
    public TransferFormat TransferFormat => inner.TransferFormat;

    /// <inheritdoc/>
    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    /// <inheritdoc/>
    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var parsed = inner.TryParseMessage(ref input, binder, out message);
        if (message is CloseMessage close)
        {
            Volatile.Write(ref _lastClose, close);
        }

        return parsed;
    }

    /// <inheritdoc/>
    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);
}
