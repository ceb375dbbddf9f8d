using Hub.Redis;
using Hub.Server.Delivery;
using Microsoft.Extensions.Options;

namespace Hub.Server.Storage.Redis;

/// <summary>
/// The node's one Redis client, shared by the stores and the backplane. It connects in the background, so the node
/// starts (and reports not ready) while Redis is down; every call made while Redis is unreachable fails with
/// <see cref="StoreUnavailableException"/>, which clients see as "Store unavailable, retry."
/// </summary>
public sealed class RedisStoreConnection : IAsyncDisposable
{
    private readonly Task<RedisClient> _client;

    /// <summary>Starts connecting.</summary>
    public RedisStoreConnection(IOptions<RedisOptions> options, ILoggerFactory loggerFactory, TimeProvider time)
    {
        var configuration = RedisConfiguration.Parse(options.Value.Configuration!);
        configuration.AbortOnConnectFail = false;
        Keys = new RedisKeys(options.Value.Prefix);
        _client = RedisClient.ConnectAsync(configuration, loggerFactory, time);
    }

    /// <summary>Key and channel names.</summary>
    public RedisKeys Keys { get; }

    /// <summary>Whether both Redis connections (commands, subscriptions) are up.</summary>
    public bool IsConnected => _client.IsCompletedSuccessfully && _client.Result.IsConnected;

    /// <summary>The client, once created (it may still be connecting).</summary>
    public Task<RedisClient> GetClientAsync(CancellationToken cancellationToken = default) => _client.WaitAsync(cancellationToken);

    /// <summary>Runs a script; connection failures become <see cref="StoreUnavailableException"/>.</summary>
    public Task<RedisResult> EvaluateAsync(RedisScript script, RedisValue[] arguments, CancellationToken cancellationToken = default) =>
        Guard(client => client.EvaluateAsync(script, null, arguments, cancellationToken), cancellationToken);

    /// <summary>Runs a command; connection failures become <see cref="StoreUnavailableException"/>.</summary>
    public Task<RedisResult> ExecuteAsync(string command, RedisValue[] arguments, CancellationToken cancellationToken = default) =>
        Guard(client => client.ExecuteAsync(command, arguments, cancellationToken), cancellationToken);

    private async Task<T> Guard<T>(Func<RedisClient, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(await GetClientAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or RedisProtocolException)
        {
            throw new StoreUnavailableException(ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await (await _client).DisposeAsync();
        }
        catch (RedisException)
        {
            // Never connected: nothing to close.
        }
    }
}
