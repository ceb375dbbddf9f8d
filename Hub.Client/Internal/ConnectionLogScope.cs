using System.Collections;

namespace Hub.Client.Internal;

/// <summary>
/// The logging scope of one connection: the user the app acts for (<see cref="HubClientOptions.User"/>, when set), its connection id (known once it started) and the delivery epoch it resumed
/// (updated on <c>Resumed</c>). Mutable on purpose: the official client's receive loop captures the scope when it
/// starts, before the server assigned the id, and reads it at every log line.
/// </summary>
internal sealed class ConnectionLogScope(string url, string? user, string? epoch) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private volatile string? _connectionId;
    private volatile string? _epoch = epoch;

    /// <summary>The server's connection id, once started.</summary>
    public string? ConnectionId
    {
        get => _connectionId;
        set => _connectionId = value;
    }

    /// <summary>The delivery epoch sent or last resumed.</summary>
    public string? Epoch
    {
        get => _epoch;
        set => _epoch = value;
    }

    /// <inheritdoc/>
    public int Count => 4;

    /// <inheritdoc/>
    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("HubUrl", url),
        1 => new("HubConnectionId", ConnectionId),
        2 => new("HubEpoch", Epoch),
        3 => new("HubUser", user),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>What a text logger prints for the scope.</summary>
    public override string ToString() => $"HubUser:{user ?? "-"} HubConnectionId:{ConnectionId ?? "-"} HubEpoch:{Epoch ?? "-"}";
}
