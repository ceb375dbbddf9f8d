using Hub.Server.Delivery.Outbound;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Delivery;

/// <summary>The bound of a connection's outbound queue, and when its writer must be started.</summary>
public sealed class OutboundQueueTests
{
    [Fact]
    public void The_first_item_starts_the_writer_and_the_next_ones_queue_behind_it()
    {
        var queue = new OutboundQueue<string>(maxMessages: 10, maxBytes: 1000);

        Assert.Equal(EnqueueResult.StartDraining, queue.TryEnqueue("a", 1));
        Assert.Equal(EnqueueResult.Queued, queue.TryEnqueue("b", 1));
        Assert.True(TryTakeOne(queue, out var first));
        Assert.True(TryTakeOne(queue, out var second));
        Assert.False(TryTakeOne(queue, out _));

        Assert.Equal(["a", "b"], [first, second]);
        Assert.Equal(EnqueueResult.StartDraining, queue.TryEnqueue("c", 1));
    }

    [Fact]
    public void An_item_beyond_the_message_bound_is_refused()
    {
        var queue = new OutboundQueue<int>(maxMessages: 3, maxBytes: 1000);
        for (var i = 0; i < 3; i++)
        {
            Assert.NotEqual(EnqueueResult.Full, queue.TryEnqueue(i, 10));
        }

        Assert.Equal(EnqueueResult.Full, queue.TryEnqueue(3, 10));
        Assert.True(TryTakeOne(queue, out _));
        Assert.Equal(EnqueueResult.Queued, queue.TryEnqueue(3, 10));
    }

    [Fact]
    public void An_item_beyond_the_byte_bound_is_refused_but_a_large_item_alone_gets_through()
    {
        var queue = new OutboundQueue<int>(maxMessages: 100, maxBytes: 100);

        Assert.Equal(EnqueueResult.StartDraining, queue.TryEnqueue(0, 500));
        Assert.Equal(EnqueueResult.Full, queue.TryEnqueue(1, 1));
        Assert.True(TryTakeOne(queue, out _));
        Assert.Equal(EnqueueResult.Queued, queue.TryEnqueue(1, 60));
        Assert.Equal(EnqueueResult.Queued, queue.TryEnqueue(2, 40));
        Assert.Equal(EnqueueResult.Full, queue.TryEnqueue(3, 1));
        Assert.Equal(100, queue.Bytes);
    }

    [Fact]
    public async Task Waiting_to_enqueue_completes_once_the_writer_made_room()
    {
        var queue = new OutboundQueue<int>(maxMessages: 1, maxBytes: 1000);
        queue.TryEnqueue(0, 1);

        var waiting = queue.EnqueueAsync(1, 1).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.True(TryTakeOne(queue, out _));

        Assert.Equal(EnqueueResult.Queued, await waiting.OrTimeout());
        Assert.True(TryTakeOne(queue, out var next));
        Assert.Equal(1, next);
    }

    [Fact]
    public async Task A_closed_queue_drops_what_waits_refuses_more_and_releases_a_waiting_producer()
    {
        var queue = new OutboundQueue<int>(maxMessages: 1, maxBytes: 1000);
        queue.TryEnqueue(0, 1);
        var waiting = queue.EnqueueAsync(1, 1).AsTask();

        queue.Close();

        Assert.Equal(EnqueueResult.Closed, await waiting.OrTimeout());
        Assert.Equal(EnqueueResult.Closed, queue.TryEnqueue(2, 1));
        Assert.False(TryTakeOne(queue, out _));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void A_batch_takes_what_fits_in_its_bytes_behind_the_first_item_which_goes_whatever_its_size()
    {
        var queue = new OutboundQueue<int>(maxMessages: 100, maxBytes: 10_000);
        foreach (var (item, bytes) in new[] { (0, 500), (1, 60), (2, 40), (3, 1) })
        {
            queue.TryEnqueue(item, bytes);
        }
        var batch = new List<(int Item, int Bytes)>();

        Assert.True(queue.TryDequeueBatch(batch, maxBytes: 100));
        Assert.Equal([0], batch.Select(b => b.Item));
        Assert.True(queue.TryDequeueBatch(batch, maxBytes: 100));
        Assert.Equal([1, 2], batch.Select(b => b.Item));
        Assert.Equal(1, queue.Bytes);
        Assert.True(queue.TryDequeueBatch(batch, maxBytes: 100));
        Assert.Equal([3], batch.Select(b => b.Item));
        Assert.False(queue.TryDequeueBatch(batch, maxBytes: 100));
        Assert.Equal(EnqueueResult.StartDraining, queue.TryEnqueue(4, 1));
    }

    private static bool TryTakeOne<T>(OutboundQueue<T> queue, out T item)
    {
        var batch = new List<(T Item, int Bytes)>();
        var taken = queue.TryDequeueBatch(batch, maxBytes: 0);
        item = taken ? batch[0].Item : default!;
        return taken;
    }
}
