using Hub.Server.Delivery;
using Hub.Server.Telemetry;

namespace Hub.Server.ReadState;

/// <summary>Every read-state store call measured and traced (<see cref="StoreCalls"/>), whichever store is behind it.</summary>
internal sealed class MeasuredReadStateStore(IReadStateStore inner, StoreCalls calls) : IReadStateStore
{
    public Task<ReadMark> MarkReadAsync(string ns, string user, DeliveryScope scope, long seq, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("read_mark", ns, () => inner.MarkReadAsync(ns, user, scope, seq, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<ScopeReadState>> GetReadStatesAsync(string ns, string user, int maxConversations, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("read_states", ns, () => inner.GetReadStatesAsync(ns, user, maxConversations, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<long>> GetReadSeqsAsync(string ns, string room, IReadOnlyList<string> users, CancellationToken cancellationToken = default) =>
        calls.MeasureAsync("read_seqs", ns, () => inner.GetReadSeqsAsync(ns, room, users, cancellationToken), cancellationToken);
}
