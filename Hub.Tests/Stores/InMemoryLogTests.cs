using Hub.Contracts;
using Hub.Server.Delivery;
using Hub.Server.Storage.InMemory;

namespace Hub.Tests.Stores;

/// <summary>One scope's log in memory: positions, the length bound, reads past a position, dropped counts, history.</summary>
public sealed class InMemoryLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DeliveryScope Scope = DeliveryScope.Room("general");

    // A log of `count` messages m1..m{count}, one millisecond apart, keeping at most `maxLength`.
    private static InMemoryLog LogOf(int count, int maxLength = int.MaxValue)
    {
        var log = new InMemoryLog();
        for (var i = 1; i <= count; i++)
        {
            Append(log, Start.AddMilliseconds(i), maxLength);
        }
        return log;
    }

    private static MessageId Append(InMemoryLog log, DateTimeOffset at, int maxLength = int.MaxValue)
    {
        var position = log.Next(at);
        log.Add(position, new EnvelopeBody("ns", "general", "alice", null, $"m{position.Counter}", null, null).ToEnvelope(new MessageRef(Scope, position)), maxLength);
        return position;
    }

    private static MessageId At(long n) => new(Start.AddMilliseconds(n).ToUnixTimeMilliseconds(), n);

    private static List<string?> Texts(IEnumerable<Envelope> page) => [.. page.Select(e => e.Text)];

    [Fact]
    public void Positions_count_up_by_one_and_never_go_back_in_time()
    {
        var log = new InMemoryLog();
        Assert.Equal(default, log.Last);

        var first = Append(log, Start);
        var second = Append(log, Start.AddSeconds(-10));
        var third = Append(log, Start.AddSeconds(5));

        Assert.Equal([1L, 2L, 3L], new[] { first, second, third }.Select(p => p.Counter));
        Assert.Equal(first.Milliseconds, second.Milliseconds);
        Assert.Equal(Start.AddSeconds(5).ToUnixTimeMilliseconds(), third.Milliseconds);
        Assert.Equal(third, log.Last);
    }

    [Fact]
    public void The_length_bound_trims_the_oldest_entries_and_keeps_the_last_position()
    {
        var log = LogOf(5, maxLength: 3);

        Assert.Equal(3, log.Count);
        Assert.Equal(At(5), log.Last);
        Assert.Equal(["m3", "m4", "m5"], Texts(log.Read(default, false, default, 10).Page));
    }

    [Fact]
    public void A_read_returns_the_entries_past_the_position_oldest_first_and_says_whether_more_follow()
    {
        var log = LogOf(5);

        var (page, dropped, more) = log.Read(At(1), true, default, 2);
        var rest = log.Read(At(3), true, default, 2);
        var between = log.Read(new MessageId(At(3).Milliseconds, 0), false, default, 10);

        Assert.Equal(["m2", "m3"], Texts(page));
        Assert.Equal((0L, true), (dropped, more));
        Assert.Equal(["m4", "m5"], Texts(rest.Page));
        Assert.Equal((0L, false), (rest.Dropped, rest.More));
        // A position that is no entry reads from the next one.
        Assert.Equal(["m3", "m4", "m5"], Texts(between.Page));
        Assert.Empty(log.Read(At(5), true, default, 10).Page);
        Assert.Empty(new InMemoryLog().Read(default, false, default, 10).Page);
    }

    [Fact]
    public void Entries_older_than_the_age_bound_are_skipped()
    {
        var log = LogOf(5);

        var (page, _, more) = log.Read(default, false, new MessageId(At(4).Milliseconds, 0), 10);

        Assert.Equal(["m4", "m5"], Texts(page));
        Assert.False(more);
    }

    [Fact]
    public void Past_an_acknowledged_cursor_what_the_bounds_removed_is_counted_as_dropped_and_past_a_start_it_is_not()
    {
        var trimmed = LogOf(6, maxLength: 2);
        var aged = LogOf(6);
        var oldest = new MessageId(At(5).Milliseconds, 0);

        Assert.Equal(2L, trimmed.Read(At(2), true, default, 10).Dropped);
        Assert.Equal(0L, trimmed.Read(At(2), false, default, 10).Dropped);
        Assert.Equal(0L, trimmed.Read(At(4), true, default, 10).Dropped);
        Assert.Equal(3L, aged.Read(At(1), true, oldest, 10).Dropped);
        Assert.Equal(0L, aged.Read(At(1), false, oldest, 10).Dropped);
        // Everything past the cursor gone: all of it is dropped; at the end, nothing is.
        Assert.Equal(5L, aged.Read(At(1), true, new MessageId(At(7).Milliseconds, 0), 10).Dropped);
        Assert.Equal(0L, trimmed.Read(At(6), true, default, 10).Dropped);
    }

    [Fact]
    public void History_is_the_newest_entries_before_a_position_newest_last()
    {
        var log = LogOf(6, maxLength: 4);

        Assert.Equal(["m5", "m6"], Texts(log.Before(null, 2)));
        Assert.Equal(["m3", "m4", "m5"], Texts(log.Before(At(6), 10)));
        Assert.Equal(["m4"], Texts(log.Before(At(5), 1)));
        Assert.Empty(log.Before(At(3), 10));
        Assert.Empty(log.Before(At(1), 10));
        Assert.Empty(log.Before(null, 0));
    }

    [Fact]
    public void Reads_stay_right_after_the_trimmed_head_is_compacted_away()
    {
        var log = LogOf(5000, maxLength: 10);

        Assert.Equal(10, log.Count);
        Assert.Equal(["m4999", "m5000"], Texts(log.Read(At(4998), true, default, 10).Page));
        Assert.Equal(4990L - 100, log.Read(At(100), true, default, 10).Dropped);
        Assert.Equal(["m4991", "m4992"], Texts(log.Before(At(4993), 2)));
        Assert.Equal(["m4991"], Texts(log.Read(default, false, default, 1).Page));
    }
}
