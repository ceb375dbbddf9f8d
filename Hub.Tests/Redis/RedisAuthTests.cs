using Hub.Tests.Infrastructure;

namespace Hub.Tests.Redis;

/// <summary>Password, ACL user and database come from the connection string, on both of the stores' connections.</summary>
public class RedisAuthTests : IClassFixture<PasswordRedisServerFixture>
{
    private readonly PasswordRedisServerFixture _server;

    public RedisAuthTests(PasswordRedisServerFixture server) => _server = server;

    [Fact]
    public async Task The_right_password_authenticates_commands_scripts_and_subscriptions()
    {
        await using var connection = RedisStores.Connect(_server.ConnectionString);
        await RedisStores.WaitUntilConnectedAsync(connection);
        await RedisStores.CreateRoomAsync(connection);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await connection.Subscriber.SubscribeAsync("auth-test", m => received.TrySetResult(m!));
        Assert.Equal(1, await connection.PublishAsync("auth-test", "hello"));
        Assert.Equal("hello", await received.Task.OrTimeout());
    }

    [Fact]
    public async Task An_acl_user_and_a_database_from_the_connection_string_are_used()
    {
        await using var inspector = await _server.ConnectInspectorAsync();
        await inspector.GetDatabase().ExecuteAsync("ACL", "SETUSER", "hubnode", "on", ">node-pass", "~*", "&*", "+@all");
        await using var connection = RedisStores.Connect($"127.0.0.1:{_server.Port},user=hubnode,password=node-pass,defaultDatabase=3");
        await RedisStores.WaitUntilConnectedAsync(connection);

        Assert.Equal("hubnode", (string?)await connection.RunAsync(db => db.ExecuteAsync("ACL", "WHOAMI")));
        await connection.RunAsync(db => db.StringSetAsync("in-db-3", "yes"));
        Assert.Equal("yes", (string?)await inspector.GetDatabase(3).StringGetAsync("in-db-3"));
        Assert.False(await inspector.GetDatabase(0).KeyExistsAsync("in-db-3"));
    }

    [Fact]
    public async Task A_wrong_password_leaves_the_connection_down_and_calls_fail_with_store_unavailable()
    {
        await using var connection = RedisStores.Connect($"127.0.0.1:{_server.Port},password=wrong,connectTimeout=1000");
        await RedisStores.AssertUnavailableAsync(() => RedisStores.CreateRoomAsync(connection), within: TimeSpan.FromSeconds(10));
        Assert.False(connection.IsConnected);
    }

    [Fact]
    public async Task Without_a_password_redis_refuses_and_the_connection_stays_down()
    {
        await using var connection = RedisStores.Connect($"127.0.0.1:{_server.Port},connectTimeout=1000");
        await RedisStores.AssertUnavailableAsync(() => RedisStores.CreateRoomAsync(connection), within: TimeSpan.FromSeconds(10));
        Assert.False(connection.IsConnected);
    }
}
