namespace Hub.Redis.Connections;

/// <summary>One handler's subscription to one channel; disposing it removes the handler (once).</summary>
internal sealed class ChannelSubscription : IAsyncDisposable
{
    private readonly SubscriptionConnection _owner;
    private readonly string _channel;
    private readonly Action<string, ReadOnlyMemory<byte>> _handler;
    private int _disposed;

    public ChannelSubscription(SubscriptionConnection owner, string channel, Action<string, ReadOnlyMemory<byte>> handler)
    {
        _owner = owner;
        _channel = channel;
        _handler = handler;
    }

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0
            ? new ValueTask(_owner.UnsubscribeAsync(_channel, _handler))
            : ValueTask.CompletedTask;
}
