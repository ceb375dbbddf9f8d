using Hub.Contracts;
using Hub.Server.Delivery;
using Hub.Server.Storage.InMemory;

namespace Hub.Tests.Stores;

/// <summary>The in-memory store's idempotency keys: remembered for the window, then forgotten, so memory stays bounded.</summary>
public sealed class InMemorySendKeysTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private static AppendResult Result(string id) =>
        new(new Envelope(id, "chat", null, "alice", null, "x", Start, null, false, null, null, null), 1);

    [Fact]
    public void Keys_are_found_within_the_window_and_all_memory_is_freed_after_it()
    {
        var keys = new InMemorySendKeys();
        for (var i = 0; i < 1000; i++)
        {
            keys.Add($"user{i % 10}", $"k{i}", "fp", Result($"1-{i}"), Start.AddMilliseconds(i));
        }

        Assert.True(keys.TryGet("user3", "k3", Start + Window - TimeSpan.FromSeconds(1), Window, out var fingerprint, out var result));
        Assert.Equal(("fp", "1-3"), (fingerprint, result.Envelope.Id));
        Assert.Equal(1000, keys.Count);

        Assert.False(keys.TryGet("user3", "k3", Start + Window + TimeSpan.FromSeconds(1), Window, out _, out _));
        Assert.Equal(0, keys.Count);
    }

    [Fact]
    public void A_key_recorded_again_after_expiry_is_not_swept_by_its_earlier_recording()
    {
        var keys = new InMemorySendKeys();
        keys.Add("alice", "k", "fp", Result("1-1"), Start);
        // The clock stepped back before the first recording expired: the same key is recorded again, later in the queue.
        keys.Add("alice", "k", "fp", Result("1-2"), Start + Window);

        Assert.True(keys.TryGet("alice", "k", Start + Window + TimeSpan.FromMinutes(1), Window, out _, out var result));
        Assert.Equal("1-2", result.Envelope.Id);
        Assert.Equal(1, keys.Count);
    }
}
