using Hub.Tests.Infrastructure;

namespace Hub.Tests.Stores;

/// <summary>The store contract, run against the Redis stores and a real redis-server started for this class.</summary>
public sealed class RedisStoreContractTests(RedisStoreContractTests.Server server) : RedisBackedStoreContractTests, IClassFixture<RedisStoreContractTests.Server>
{
    /// <summary>One redis-server for the class; each test uses its own namespace, so tests do not see each other's keys.</summary>
    public sealed class Server : RedisServerFixture;

    protected override string Configuration => server.ConnectionString;
}
