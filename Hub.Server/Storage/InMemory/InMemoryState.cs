using System.Collections.Concurrent;

namespace Hub.Server.Storage.InMemory;

/// <summary>
/// Everything the embedded mode stores, per namespace, behind one lock per namespace. The three in-memory stores
/// share it so a send can resolve room members and online users atomically with the append, as the Redis script does.
/// </summary>
internal sealed class InMemoryState
{
    private readonly ConcurrentDictionary<string, InMemoryNamespace> _namespaces = new(StringComparer.Ordinal);

    /// <summary>Identifies this process's data: a restart loses the data, so it gets a new epoch.</summary>
    public string Epoch { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The state of one namespace, created on first use.</summary>
    public InMemoryNamespace For(string ns) => _namespaces.GetOrAdd(ns, static _ => new InMemoryNamespace());
}
