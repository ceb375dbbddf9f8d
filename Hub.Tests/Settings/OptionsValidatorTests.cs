using Hub.Server.Admin;
using Hub.Server.Auth;
using Hub.Server.Backplane;
using Hub.Server.Delivery;
using Hub.Server.Hosting;
using Hub.Server.Limits;
using Hub.Server.Storage.Redis;
using Microsoft.Extensions.Options;

namespace Hub.Tests.Settings;

/// <summary>Every options class is checked by its validator: the defaults pass, a bad value fails naming its key.</summary>
public sealed class OptionsValidatorTests
{
    [Fact]
    public void The_defaults_of_every_section_are_valid()
    {
        Assert.True(new LimitsOptionsValidator().Validate(null, new LimitsOptions()).Succeeded);
        Assert.True(new DeliveryOptionsValidator().Validate(null, new DeliveryOptions()).Succeeded);
        Assert.True(new RedisOptionsValidator().Validate(null, new RedisOptions()).Succeeded);
        Assert.True(new RedisBackplaneOptionsValidator().Validate(null, new RedisBackplaneOptions()).Succeeded);
        Assert.True(new ShutdownOptionsValidator().Validate(null, new ShutdownOptions()).Succeeded);
        Assert.True(new AuthOptionsValidator().Validate(null, new AuthOptions { DevTokens = true }).Succeeded);
        Assert.True(new AdminOptionsValidator().Validate(null, new AdminOptions()).Succeeded);
        Assert.True(new AdminOptionsValidator().Validate(null, new AdminOptions { ApiKey = "" }).Succeeded);
    }

    [Fact]
    public void A_bad_value_in_any_section_fails_with_a_message_naming_it()
    {
        AssertFails(new LimitsOptionsValidator().Validate(null, new LimitsOptions { MaximumReceiveMessageSize = 1000 }), "MaximumReceiveMessageSize");
        AssertFails(new LimitsOptionsValidator().Validate(null, new LimitsOptions { TypingPerSecond = 0 }), "every limit must be positive");
        AssertFails(new LimitsOptionsValidator().Validate(null, new LimitsOptions { MaxInvitesPerRoom = 0 }), "every limit must be positive");
        AssertFails(new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { RedeliveryPageSize = 0 }), "Delivery:RedeliveryPageSize");
        AssertFails(new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { OutboundQueueBytes = 0 }), "Delivery:OutboundQueueBytes");
        AssertFails(new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { IdempotencyWindow = TimeSpan.Zero }), "IdempotencyWindow");
        AssertFails(new DeliveryOptionsValidator().Validate(null, new DeliveryOptions { WriteDelay = TimeSpan.FromSeconds(2) }), "Delivery:WriteDelay");
        AssertFails(new RedisOptionsValidator().Validate(null, new RedisOptions { Configuration = "127.0.0.1:1", Prefix = " " }), "Redis:Prefix");
        AssertFails(new RedisOptionsValidator().Validate(null, new RedisOptions { NodeTimeout = TimeSpan.FromMilliseconds(500) }), "NodeTimeout");
        AssertFails(new RedisOptionsValidator().Validate(null, new RedisOptions { CommandTimeout = TimeSpan.Zero }), "Redis:CommandTimeout");
        AssertFails(new RedisOptionsValidator().Validate(null, new RedisOptions { CommandTimeout = TimeSpan.FromDays(2) }), "Redis:CommandTimeout");
        AssertFails(new RedisBackplaneOptionsValidator().Validate(null, new RedisBackplaneOptions { GroupAckTimeout = TimeSpan.FromDays(2) }), "GroupAckTimeout");
        AssertFails(new ShutdownOptionsValidator().Validate(null, new ShutdownOptions { DrainDelay = TimeSpan.FromMinutes(1) }), "Timeout must exceed it");
        AssertFails(new AuthOptionsValidator().Validate(null, new AuthOptions()), "Auth:SigningKey or Auth:Authority");
        AssertFails(new AuthOptionsValidator().Validate(null, new AuthOptions { SigningKey = "short" }), "Auth:SigningKey must be at least 32 bytes");
        AssertFails(new AdminOptionsValidator().Validate(null, new AdminOptions { ApiKey = "short" }), "Admin:ApiKey");
        AssertFails(new AdminOptionsValidator().Validate(null, new AdminOptions { SampleWindow = TimeSpan.FromSeconds(5) }), "Admin:SampleWindow");
        AssertFails(new AdminOptionsValidator().Validate(null, new AdminOptions { MaxQueuesScanned = 0 }), "Admin:MaxQueuesScanned");
    }

    private static void AssertFails(ValidateOptionsResult result, string named)
    {
        Assert.True(result.Failed, $"Expected a failure naming {named}.");
        Assert.Contains(named, result.FailureMessage);
    }
}
