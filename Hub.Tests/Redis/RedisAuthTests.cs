using Hub.Redis;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Redis;

public class RedisAuthTests : IClassFixture<PasswordRedisServerFixture>
{
    private readonly PasswordRedisServerFixture _server;

    public RedisAuthTests(PasswordRedisServerFixture server) => _server = server;

    [Fact]
    public async Task The_right_password_authenticates_both_connections()
    {
        await using var client = await RedisClient.ConnectAsync(_server.ConnectionString);
        Assert.Equal("PONG", (await client.ExecuteAsync("PING")).AsString());
        await using var subscription = await client.SubscribeAsync("auth-test", (_, _) => { });
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task User_and_password_use_the_two_argument_auth()
    {
        await using var client = await RedisClient.ConnectAsync($"127.0.0.1:{_server.Port},user=default,password={PasswordRedisServerFixture.Secret}");
        Assert.Equal("default", (await client.ExecuteAsync("ACL", "WHOAMI")).AsString());
    }

    [Fact]
    public async Task A_wrong_password_fails_the_connect_with_the_server_reason()
    {
        var ex = await Assert.ThrowsAsync<RedisConnectionException>(
            () => RedisClient.ConnectAsync($"127.0.0.1:{_server.Port},password=wrong").OrTimeout());
        Assert.Contains("WRONGPASS", ex.Message, StringComparison.Ordinal);
        Assert.IsType<RedisServerException>(ex.InnerException);
    }

    [Fact]
    public async Task A_wrong_password_without_abort_connect_keeps_retrying_and_logs_once()
    {
        var logs = new CollectingLoggerFactory();
        await using var client = await RedisClient.ConnectAsync(
            $"127.0.0.1:{_server.Port},password=wrong,abortConnect=false,reconnectBaseDelay=10,reconnectMaxDelay=20", logs);
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<RedisConnectionException>(() => client.ExecuteAsync("PING"));
        await Poll.UntilAsync(() => logs.Count(1103) >= 6, "several background attempts were made");
        Assert.Equal(2, logs.Count(1101)); // one warning per connection, not one per attempt
    }

    [Fact]
    public async Task No_password_gets_the_server_noauth_error()
    {
        await using var client = await RedisClient.ConnectAsync($"127.0.0.1:{_server.Port}");
        var ex = await Assert.ThrowsAsync<RedisServerException>(() => client.ExecuteAsync("GET", "k"));
        Assert.Equal("NOAUTH", ex.ErrorCode);
    }
}
