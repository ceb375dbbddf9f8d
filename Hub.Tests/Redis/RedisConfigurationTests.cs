using Hub.Redis;

namespace Hub.Tests.Redis;

public class RedisConfigurationTests
{
    [Fact]
    public void Full_connection_string_is_parsed()
    {
        var config = RedisConfiguration.Parse(
            "redis1:6380,redis2:6381,password=p=w,user=app,ssl=true,sslHost=redis.example.com,defaultDatabase=3," +
            "connectTimeout=1500,syncTimeout=250,abortConnect=false,name=hub-1");
        Assert.Equal([new RedisEndPoint("redis1", 6380), new RedisEndPoint("redis2", 6381)], config.EndPoints);
        Assert.Equal("p=w", config.Password);
        Assert.Equal("app", config.User);
        Assert.True(config.Ssl);
        Assert.Equal("redis.example.com", config.SslHost);
        Assert.Equal(3, config.DefaultDatabase);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), config.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), config.CommandTimeout);
        Assert.False(config.AbortOnConnectFail);
        Assert.Equal("hub-1", config.ClientName);
    }

    [Fact]
    public void Defaults_match_stackexchange_redis()
    {
        var config = RedisConfiguration.Parse("localhost");
        Assert.Equal(new RedisEndPoint("localhost", 6379), Assert.Single(config.EndPoints));
        Assert.True(config.AbortOnConnectFail);
        Assert.False(config.Ssl);
        Assert.Null(config.Password);
        Assert.Null(config.DefaultDatabase);
        Assert.Equal(TimeSpan.FromSeconds(5), config.CommandTimeout);
    }

    [Fact]
    public void Keys_are_case_insensitive_and_whitespace_is_ignored()
    {
        var config = RedisConfiguration.Parse(" 127.0.0.1:7000 , PASSWORD = secret , AbortConnect=FALSE, SSL=True ,");
        Assert.Equal("secret", config.Password);
        Assert.False(config.AbortOnConnectFail);
        Assert.True(config.Ssl);
        Assert.Equal(7000, config.EndPoints[0].Port);
    }

    [Fact]
    public void Ipv6_endpoints_are_parsed()
    {
        var config = RedisConfiguration.Parse("[::1]:7001,::1");
        Assert.Equal(new RedisEndPoint("::1", 7001), config.EndPoints[0]);
        Assert.Equal(new RedisEndPoint("::1", 6379), config.EndPoints[1]);
        Assert.Equal("[::1]:7001", config.EndPoints[0].ToString());
    }

    [Fact]
    public void Unknown_key_is_rejected_naming_the_key()
    {
        var ex = Assert.Throws<ArgumentException>(() => RedisConfiguration.Parse("localhost,frobnicate=1"));
        Assert.Contains("'frobnicate'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost,ssl=maybe", "ssl")]
    [InlineData("localhost,defaultDatabase=-1", "defaultDatabase")]
    [InlineData("localhost,syncTimeout=soon", "syncTimeout")]
    [InlineData("localhost:notaport", "notaport")]
    [InlineData("localhost:70000", "70000")]
    public void Bad_values_are_rejected_naming_the_problem(string configuration, string named)
    {
        var ex = Assert.Throws<ArgumentException>(() => RedisConfiguration.Parse(configuration));
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connection_string_without_endpoint_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => RedisConfiguration.Parse("password=x"));
    }

    [Fact]
    public void ToString_hides_the_password()
    {
        var config = RedisConfiguration.Parse("localhost,password=hunter2");
        Assert.DoesNotContain("hunter2", config.ToString(), StringComparison.Ordinal);
        Assert.Contains("password=hunter2", config.ToString(includePassword: true), StringComparison.Ordinal);
        Assert.Equal("hunter2", RedisConfiguration.Parse(config.ToString(includePassword: true)).Password);
    }

    [Fact]
    public void Clone_is_independent()
    {
        var config = RedisConfiguration.Parse("a:1,name=x");
        var copy = config.Clone();
        config.EndPoints.Add(new RedisEndPoint("b", 2));
        config.ClientName = "y";
        Assert.Single(copy.EndPoints);
        Assert.Equal("x", copy.ClientName);
    }

    [Fact]
    public void Script_sha1_matches_redis()
    {
        // SHA1 of "return 1", as SCRIPT LOAD reports it.
        Assert.Equal("e0e1f9fabfc9d4800c877a703b823ac0578ff8db", new RedisScript("return 1").Sha1);
    }
}
