namespace Hub.Tests.Redis;

/// <summary>How the cluster fixture reads <c>CLUSTER NODES</c> lines (the Redis 7 format).</summary>
public sealed class RedisClusterNodeTests
{
    [Fact]
    public void A_master_line_gives_its_id_port_and_slot_ranges()
    {
        var node = RedisClusterNode.Parse("6efa2c57948e0473ef3fb019eb0a2805f9f53965 127.0.0.1:27001@37001 myself,master - 0 1796098039000 1 connected 0-5460 5470 [5471->-7d5e6e5b6647b7e1fd4724bd772ba37b92ffe61e]");

        Assert.Equal("6efa2c57948e0473ef3fb019eb0a2805f9f53965", node.Id);
        Assert.Equal(27001, node.Port);
        Assert.True(node.IsMaster);
        Assert.Null(node.MasterId);
        Assert.True(node.IsHealthy);
        Assert.True(node.Serves(0) && node.Serves(5460) && node.Serves(5470));
        Assert.False(node.Serves(5461) || node.Serves(5471));
    }

    [Fact]
    public void A_replica_line_names_its_master_and_a_hostname_after_the_bus_port_is_ignored()
    {
        var node = RedisClusterNode.Parse("4b01557ac7b366b35c638621fe5a7071e9586787 127.0.0.1:27005@37005,redis-5 slave 6efa2c57948e0473ef3fb019eb0a2805f9f53965 0 1796098040104 1 connected");

        Assert.Equal(27005, node.Port);
        Assert.False(node.IsMaster);
        Assert.Equal("6efa2c57948e0473ef3fb019eb0a2805f9f53965", node.MasterId);
        Assert.False(node.Serves(0));
    }

    [Theory]
    [InlineData("master,fail - 1 1 2 connected")]
    [InlineData("master,fail? - 1 1 2 connected")]
    [InlineData("master - 1 1 2 disconnected")]
    [InlineData("handshake - 1 1 0 connected")]
    public void A_node_failing_joining_or_disconnected_is_not_healthy(string rest)
    {
        Assert.False(RedisClusterNode.Parse("7d5e6e5b6647b7e1fd4724bd772ba37b92ffe61e 127.0.0.1:27002@37002 " + rest).IsHealthy);
    }
}
