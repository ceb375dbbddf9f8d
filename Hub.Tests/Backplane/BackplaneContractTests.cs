using Hub.Client;

namespace Hub.Tests.Backplane;

/// <summary>
/// What every backplane must do, checked with real clients on two nodes. A backplane's test class supplies the
/// nodes: the in-memory manager passes the same node twice, the Redis backplane two nodes sharing one Redis.
/// "Nothing arrived" is checked without sleeping: a marker is sent afterwards along the same path, and the unwanted
/// message must not be among what arrived before it (messages from one node to one connection keep their order).
/// </summary>
public abstract class BackplaneContractTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _clients = [];

    protected BackplaneNode NodeA { get; private set; } = null!;

    protected BackplaneNode NodeB { get; private set; } = null!;

    /// <summary>Starts the two nodes (the same instance twice for a single-process backplane).</summary>
    protected abstract Task<(BackplaneNode A, BackplaneNode B)> StartNodesAsync();

    public async Task InitializeAsync() => (NodeA, NodeB) = await StartNodesAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        await NodeA.DisposeAsync();
        if (!ReferenceEquals(NodeA, NodeB))
        {
            await NodeB.DisposeAsync();
        }
    }

    [Fact]
    public async Task Send_to_all_reaches_every_connection_on_both_nodes()
    {
        var a = await ConnectAsync(NodeA);
        var b1 = await ConnectAsync(NodeB);
        var b2 = await ConnectAsync(NodeB);

        await a.InvokeAsync(nameof(BackplaneTestHub.SendAll), "hello");

        foreach (var client in new[] { a, b1, b2 })
        {
            Assert.Equal(["hello"], await client.Received.WaitForAsync("hello"));
        }
    }

    [Fact]
    public async Task Send_to_all_except_skips_the_excluded_connections_on_both_nodes()
    {
        var a1 = await ConnectAsync(NodeA);
        var a2 = await ConnectAsync(NodeA);
        var b1 = await ConnectAsync(NodeB);
        var b2 = await ConnectAsync(NodeB);

        await a1.InvokeAsync(nameof(BackplaneTestHub.SendAllExcept), new[] { a2.ConnectionId, b2.ConnectionId }, "news");

        await a1.Received.WaitForAsync("news");
        await b1.Received.WaitForAsync("news");
        await AssertNothingBeforeMarkerAsync(a1, a2, "news");
        await AssertNothingBeforeMarkerAsync(a1, b2, "news");
    }

    [Fact]
    public async Task Send_to_a_connection_on_the_other_node_reaches_only_that_connection()
    {
        var a = await ConnectAsync(NodeA);
        var b1 = await ConnectAsync(NodeB);
        var b2 = await ConnectAsync(NodeB);

        await a.InvokeAsync(nameof(BackplaneTestHub.SendConnection), b1.ConnectionId, "direct");

        Assert.Equal(["direct"], await b1.Received.WaitForAsync("direct"));
        await AssertNothingBeforeMarkerAsync(a, b2, "direct");
        await AssertNothingBeforeMarkerAsync(a, a, "direct");
    }

    [Fact]
    public async Task Send_to_several_connections_reaches_each_once_wherever_it_lives()
    {
        var a1 = await ConnectAsync(NodeA);
        var a2 = await ConnectAsync(NodeA);
        var b1 = await ConnectAsync(NodeB);
        var b2 = await ConnectAsync(NodeB);

        // A duplicated id must not mean a duplicated message.
        await a1.InvokeAsync(nameof(BackplaneTestHub.SendConnections), new[] { a2.ConnectionId, b1.ConnectionId, b1.ConnectionId }, "some");

        await a2.Received.WaitForAsync("some");
        await b1.Received.WaitForAsync("some");
        await AssertNothingBeforeMarkerAsync(a1, b2, "some");
        await AssertNothingBeforeMarkerAsync(a1, a1, "some");
        Assert.Equal(["some", "marker"], await MarkAsync(a1, b1));
    }

    [Fact]
    public async Task Send_to_a_group_reaches_its_members_on_both_nodes_and_nobody_else()
    {
        var a = await ConnectAsync(NodeA);
        var aMember = await ConnectAsync(NodeA);
        var bMember = await ConnectAsync(NodeB);
        var bOutsider = await ConnectAsync(NodeB);
        await JoinAsync(aMember, "room");
        await JoinAsync(bMember, "room");

        await a.InvokeAsync(nameof(BackplaneTestHub.SendGroup), "room", "to-room");

        Assert.Equal(["to-room"], await aMember.Received.WaitForAsync("to-room"));
        Assert.Equal(["to-room"], await bMember.Received.WaitForAsync("to-room"));
        await AssertNothingBeforeMarkerAsync(a, bOutsider, "to-room");
        await AssertNothingBeforeMarkerAsync(a, a, "to-room");
    }

    [Fact]
    public async Task Send_to_several_groups_reaches_the_members_of_each_group()
    {
        var a = await ConnectAsync(NodeA);
        var red = await ConnectAsync(NodeA);
        var blue = await ConnectAsync(NodeB);
        var green = await ConnectAsync(NodeB);
        await JoinAsync(red, "red");
        await JoinAsync(blue, "blue");
        await JoinAsync(green, "green");

        await a.InvokeAsync(nameof(BackplaneTestHub.SendGroups), new[] { "red", "blue" }, "colours");

        await red.Received.WaitForAsync("colours");
        await blue.Received.WaitForAsync("colours");
        await AssertNothingBeforeMarkerAsync(a, green, "colours");
    }

    [Fact]
    public async Task Send_to_a_group_except_skips_the_excluded_members_on_both_nodes()
    {
        var a = await ConnectAsync(NodeA);
        var aIncluded = await ConnectAsync(NodeA);
        var aExcluded = await ConnectAsync(NodeA);
        var bIncluded = await ConnectAsync(NodeB);
        var bExcluded = await ConnectAsync(NodeB);
        foreach (var member in new[] { aIncluded, aExcluded, bIncluded, bExcluded })
        {
            await JoinAsync(member, "team");
        }

        await a.InvokeAsync(nameof(BackplaneTestHub.SendGroupExcept), "team", new[] { aExcluded.ConnectionId, bExcluded.ConnectionId }, "psst");

        await aIncluded.Received.WaitForAsync("psst");
        await bIncluded.Received.WaitForAsync("psst");
        await AssertNothingBeforeMarkerAsync(a, aExcluded, "psst");
        await AssertNothingBeforeMarkerAsync(a, bExcluded, "psst");
    }

    [Fact]
    public async Task A_connection_on_the_other_node_can_be_added_to_a_group_and_removed_again()
    {
        var a = await ConnectAsync(NodeA);
        var b = await ConnectAsync(NodeB);

        // Node A changes the membership of a connection that lives on node B; the call returns once B has acted.
        await a.InvokeAsync(nameof(BackplaneTestHub.AddToGroup), b.ConnectionId, "remote");
        await a.InvokeAsync(nameof(BackplaneTestHub.SendGroup), "remote", "while-member");
        await b.Received.WaitForAsync("while-member");

        await a.InvokeAsync(nameof(BackplaneTestHub.RemoveFromGroup), b.ConnectionId, "remote");
        await a.InvokeAsync(nameof(BackplaneTestHub.SendGroup), "remote", "after-leaving");
        await AssertNothingBeforeMarkerAsync(a, b, "after-leaving");
    }

    [Fact]
    public async Task Adding_a_connection_twice_delivers_group_messages_once()
    {
        var a = await ConnectAsync(NodeA);
        var b = await ConnectAsync(NodeB);
        await a.InvokeAsync(nameof(BackplaneTestHub.AddToGroup), b.ConnectionId, "twice");
        await a.InvokeAsync(nameof(BackplaneTestHub.AddToGroup), b.ConnectionId, "twice");

        await a.InvokeAsync(nameof(BackplaneTestHub.SendGroup), "twice", "once");

        Assert.Equal(["once", "marker"], await MarkAsync(a, b));
    }

    [Fact]
    public async Task A_message_sent_from_a_node_with_no_local_members_reaches_the_group_on_the_other_node()
    {
        var sender = await ConnectAsync(NodeA);
        var b1 = await ConnectAsync(NodeB);
        var b2 = await ConnectAsync(NodeB);
        await JoinAsync(b1, "elsewhere");
        await JoinAsync(b2, "elsewhere");

        await sender.InvokeAsync(nameof(BackplaneTestHub.SendGroup), "elsewhere", "from-afar");

        await b1.Received.WaitForAsync("from-afar");
        await b2.Received.WaitForAsync("from-afar");
        await AssertNothingBeforeMarkerAsync(sender, sender, "from-afar");
    }

    [Fact]
    public async Task Send_to_a_user_reaches_all_of_their_connections_on_both_nodes()
    {
        var aliceOnA = await ConnectAsync(NodeA, "alice");
        var aliceOnB = await ConnectAsync(NodeB, "alice");
        var bob = await ConnectAsync(NodeB, "bob");

        await bob.InvokeAsync(nameof(BackplaneTestHub.SendUser), "alice", "for-alice");

        Assert.Equal(["for-alice"], await aliceOnA.Received.WaitForAsync("for-alice"));
        Assert.Equal(["for-alice"], await aliceOnB.Received.WaitForAsync("for-alice"));
        await AssertNothingBeforeMarkerAsync(bob, bob, "for-alice");
    }

    [Fact]
    public async Task Send_to_several_users_reaches_each_of_their_connections_once()
    {
        var sender = await ConnectAsync(NodeA, "sender");
        var carolOnA = await ConnectAsync(NodeA, "carol");
        var carolOnB = await ConnectAsync(NodeB, "carol");
        var dave = await ConnectAsync(NodeB, "dave");
        var erin = await ConnectAsync(NodeB, "erin");

        await sender.InvokeAsync(nameof(BackplaneTestHub.SendUsers), new[] { "carol", "dave", "carol" }, "for-users");

        await carolOnA.Received.WaitForAsync("for-users");
        await dave.Received.WaitForAsync("for-users");
        Assert.Equal(["for-users", "marker"], await MarkAsync(sender, carolOnB));
        await AssertNothingBeforeMarkerAsync(sender, erin, "for-users");
    }

    [Fact]
    public async Task A_client_result_from_a_connection_on_the_other_node_reaches_the_caller()
    {
        var caller = await ConnectAsync(NodeA);
        await using var answerer = await ResultAnsweringClient.ConnectAsync(NodeB.HubUrl);

        var answer = await caller.InvokeAsync<string>(nameof(BackplaneTestHub.AskClient), answerer.ConnectionId, "ping?");

        Assert.Equal("answer:ping?", answer);
    }

    [Fact]
    public async Task A_client_result_error_on_the_other_node_reaches_the_caller()
    {
        var caller = await ConnectAsync(NodeA);
        var target = await ConnectAsync(NodeB);

        // Our protocol client answers every client-result invocation with this error.
        var error = await Assert.ThrowsAsync<HubInvocationException>(
            () => caller.InvokeAsync<string>(nameof(BackplaneTestHub.AskClient), target.ConnectionId, "anyone?"));

        Assert.Contains("Client results are not supported by this client.", error.Message);
    }

    [Fact]
    public async Task A_client_result_for_a_connection_that_exists_nowhere_fails_at_once()
    {
        var caller = await ConnectAsync(NodeA);

        var error = await Assert.ThrowsAsync<HubInvocationException>(
            () => caller.InvokeAsync<string>(nameof(BackplaneTestHub.AskClient), "no-such-connection", "hello?"));

        Assert.Contains("Connection 'no-such-connection' does not exist.", error.Message);
    }

    [Fact]
    public async Task A_client_result_fails_when_the_target_disconnects_before_answering()
    {
        var caller = await ConnectAsync(NodeA);
        var silent = await ResultAnsweringClient.ConnectAsync(NodeB.HubUrl, answer: false);

        var asking = caller.InvokeAsync<string>(nameof(BackplaneTestHub.AskClient), silent.ConnectionId, "still there?");
        Assert.Equal("still there?", await silent.Asked.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await silent.DisposeAsync();

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => asking);
        Assert.Contains("disconnected", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Adding_or_removing_a_connection_that_exists_nowhere_is_a_no_op()
    {
        var a = await ConnectAsync(NodeA);

        // Completes (after the ack timeout at worst) without an error, like SignalR's in-memory manager.
        await a.InvokeAsync(nameof(BackplaneTestHub.AddToGroup), "no-such-connection", "void");
        await a.InvokeAsync(nameof(BackplaneTestHub.RemoveFromGroup), "no-such-connection", "void");

        Assert.True(a.Connection.IsConnected);
    }

    /// <summary>Connects a client to <paramref name="node"/>; it is disposed with the test.</summary>
    protected async Task<BackplaneTestClient> ConnectAsync(BackplaneNode node, string? user = null)
    {
        var client = await BackplaneTestClient.ConnectAsync(node.HubUrl, user);
        _clients.Add(client);
        return client;
    }

    /// <summary>Adds <paramref name="client"/> to <paramref name="group"/> through its own node.</summary>
    protected static Task JoinAsync(BackplaneTestClient client, string group) =>
        client.InvokeAsync(nameof(BackplaneTestHub.AddToGroup), client.ConnectionId, group);

    /// <summary>
    /// Sends "marker" from <paramref name="sender"/>'s node to <paramref name="receiver"/> and returns everything the
    /// receiver got up to it. Anything sent to the receiver from that node earlier would be in the list.
    /// </summary>
    protected static async Task<IReadOnlyList<string>> MarkAsync(BackplaneTestClient sender, BackplaneTestClient receiver)
    {
        await sender.InvokeAsync(nameof(BackplaneTestHub.SendConnection), receiver.ConnectionId, "marker");
        return await receiver.Received.WaitForAsync("marker");
    }

    /// <summary>Asserts <paramref name="receiver"/> did not get <paramref name="unwanted"/> (which was sent from <paramref name="sender"/>'s node before).</summary>
    protected static async Task AssertNothingBeforeMarkerAsync(BackplaneTestClient sender, BackplaneTestClient receiver, string unwanted) =>
        Assert.DoesNotContain(unwanted, await MarkAsync(sender, receiver));
}
