using Hub.Tests.Infrastructure;

namespace Hub.Tests.Redis;

/// <summary>A redis-server with <c>requirepass</c>, shared by the AUTH tests.</summary>
public sealed class PasswordRedisServerFixture : RedisServerFixture
{
    public const string Secret = "s3cret-pass";

    public PasswordRedisServerFixture()
        : base(Secret)
    {
    }
}
