using Hub.Server.Common;
using Hub.Server.Delivery;

namespace Hub.Tests.Delivery;

/// <summary>Message ids as clients send them back (acks, cursors): each names one scope and one position, or nothing.</summary>
public sealed class MessageRefTests
{
    public static TheoryData<string, DeliveryScopeKind, string, long, long> Ids => new()
    {
        { "1764590400000-7", DeliveryScopeKind.User, "", 1764590400000, 7 },
        { "1764590400000-1/r/general", DeliveryScopeKind.Room, "general", 1764590400000, 1 },
        { "0-0/r/A.b_c-9", DeliveryScopeKind.Room, "A.b_c-9", 0, 0 },
        { "5-123456789012/d/alice/bob", DeliveryScopeKind.Conversation, "alice/bob", 5, 123456789012 },
        { "5-2/d/Bob/alice", DeliveryScopeKind.Conversation, "Bob/alice", 5, 2 },
        { "5-3/d/alice/alice", DeliveryScopeKind.Conversation, "alice/alice", 5, 3 },
    };

    [Theory]
    [MemberData(nameof(Ids))]
    public void An_id_parses_to_its_scope_and_position_and_prints_back_the_same(string id, DeliveryScopeKind kind, string name, long ms, long counter)
    {
        Assert.True(MessageRef.TryParse(id, out var at));

        Assert.Equal(new MessageRef(new DeliveryScope(kind, name), new MessageId(ms, counter)), at);
        Assert.Equal(id, at.ToString());
    }

    [Fact]
    public void A_reference_made_by_the_store_round_trips_through_its_id()
    {
        var position = new MessageId(1764590400123, 42);
        foreach (var scope in new[] { DeliveryScope.User, DeliveryScope.Room("general"), DeliveryScope.Conversation("zoe", "adam") })
        {
            var made = new MessageRef(scope, position);

            Assert.True(MessageRef.TryParse(made.ToString(), out var parsed));
            Assert.Equal(made, parsed);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("1-1/")]
    [InlineData("1-1/x/y")]
    [InlineData("1-1/r/")]
    [InlineData("1-1/r")]
    [InlineData("1-1/r/a/b")]
    [InlineData("1-1/r/a b")]
    [InlineData("1-1/r/{a}")]
    [InlineData("1-1/d/a")]
    [InlineData("1-1/d/a/")]
    [InlineData("1-1/d//b")]
    [InlineData("1-1/d/a/b/c")]
    [InlineData("1-1/d/bob/alice")]
    [InlineData("1-1/u")]
    [InlineData("1-1/R/general")]
    [InlineData("1-1//r/general")]
    [InlineData("x-1/r/general")]
    [InlineData("1-x/r/general")]
    [InlineData("-1/r/general")]
    [InlineData("1-/r/general")]
    [InlineData("1/r/general")]
    [InlineData("1-2-3")]
    [InlineData("+1-2")]
    [InlineData("1--2")]
    [InlineData(" 1-2")]
    [InlineData("1-2 ")]
    [InlineData("99999999999999999999-1")]
    [InlineData("not-an-id")]
    public void Anything_else_is_not_an_id(string id)
    {
        Assert.False(MessageRef.TryParse(id, out _));
    }

    [Fact]
    public void Null_and_overlong_ids_are_not_ids()
    {
        Assert.False(MessageRef.TryParse(null, out _));
        Assert.False(MessageRef.TryParse("1-1/r/" + new string('a', 200), out _));
    }

    [Fact]
    public void A_cursor_is_the_position_of_an_id_in_any_scope_and_anything_else_is_refused_by_name()
    {
        Assert.Null(MessageId.ParseCursor(null));
        Assert.Equal(new MessageId(10, 3), MessageId.ParseCursor("10-3"));
        Assert.Equal(new MessageId(10, 3), MessageId.ParseCursor("10-3/r/general"));
        Assert.Equal(new MessageId(10, 3), MessageId.ParseCursor("10-3/d/alice/bob"));

        var refused = Assert.Throws<HubRequestException>(() => MessageId.ParseCursor("10-3/x/y"));
        Assert.Equal("Invalid message id '10-3/x/y'.", refused.Message);
    }

    [Fact]
    public void Positions_order_by_time_then_counter()
    {
        Assert.True(new MessageId(1, 9) < new MessageId(2, 0));
        Assert.True(new MessageId(2, 1) > new MessageId(2, 0));
        Assert.True(new MessageId(2, 1) >= new MessageId(2, 1));
        Assert.Equal(["1-9", "2-0", "2-10"], new[] { new MessageId(2, 10), new MessageId(1, 9), new MessageId(2, 0) }.Order().Select(m => m.ToString()));
    }

    [Fact]
    public void Keeping_the_greatest_leaves_one_reference_per_scope_and_skips_what_is_not_a_plausible_ack()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var greatest = new Dictionary<string, MessageRef>(StringComparer.Ordinal);

        MessageRef.KeepGreatest(greatest,
            ["1700000000000-2/r/general", "1700000000000-5/r/general", "1700000000000-3/r/general", "1700000000000-7",
             "1700000000000-1/d/alice/bob", "not an id", "1800000000000-9/r/random"], now);

        Assert.Equal(["1700000000000-5/r/general", "1700000000000-7", "1700000000000-1/d/alice/bob"],
            greatest.Values.Select(r => r.ToString()));
    }
}
