using Hub.Client;
using Hub.Contracts;
using Hub.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hub.Tests.Client;

/// <summary>AddChatClient / AddNotificationClient: clients resolved from a container, options from configuration.</summary>
public sealed class ClientRegistrationTests
{
    [Fact]
    public async Task A_chat_client_registered_from_configuration_connects_with_the_configured_options()
    {
        await using var host = await HubTestHost.StartAsync();
        var token = await host.TokenAsync("erin");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hub:Chat:BaseUrl"] = host.BaseAddress.ToString(),
            ["Hub:Chat:User"] = "erin",
            ["Hub:Chat:Transports"] = "LongPolling",
            ["Hub:Chat:Protocol"] = "MessagePack",
            ["Hub:Chat:Headers:X-Tenant"] = "blue",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddChatClient("Hub:Chat", o => o.AccessTokenProvider = _ => ValueTask.FromResult<string?>(token));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var options = provider.GetRequiredService<IOptionsMonitor<HubClientOptions>>().Get(nameof(ChatClient));
        Assert.Equal((HubTransports.LongPolling, HubProtocolFormat.MessagePack, "blue"), (options.Transports, options.Protocol, options.Headers["x-tenant"]));
        Assert.Same(provider.GetRequiredService<ILoggerFactory>(), options.LoggerFactory);

        var chat = provider.GetRequiredService<ChatClient>();
        Assert.Same(chat, provider.GetRequiredService<ChatClient>());
        Assert.Equal("erin", chat.User);
        var erin = new HubUser<ChatClient>("erin", chat);
        await chat.StartAsync().OrTimeout();
        await chat.SendToUserAsync("erin", "to myself").OrTimeout();
        Assert.Equal("erin", (await erin.WaitForMessageAsync("to myself")).From);
    }

    [Fact]
    public async Task Chat_and_notification_clients_registered_in_code_keep_their_own_options()
    {
        await using var host = await HubTestHost.StartAsync();
        var token = await host.TokenAsync("frank");
        var services = new ServiceCollection();
        services.AddChatClient(o => (o.BaseUrl, o.User) = (host.BaseAddress, "frank-chat"));
        services.AddNotificationClient(o =>
        {
            (o.BaseUrl, o.User) = (host.BaseAddress, "frank-notifications");
            o.AccessTokenProvider = _ => ValueTask.FromResult<string?>(token);
        });
        await using var provider = services.BuildServiceProvider();

        Assert.Equal("frank-chat", provider.GetRequiredService<ChatClient>().User);
        var notifications = new HubUser<NotificationClient>("frank", provider.GetRequiredService<NotificationClient>());
        Assert.Equal("frank-notifications", notifications.Client.User);
        Assert.EndsWith(HubPaths.Notifications, notifications.Client.HubUrl.AbsolutePath);
        await notifications.Client.StartAsync().OrTimeout();
        await notifications.WaitForResumeAsync();
    }

    [Fact]
    public async Task A_registration_without_a_base_url_stops_the_host_at_start_naming_the_setting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddChatClient("Hub:Chat");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("BaseUrl", error.Message);
    }

    [Fact]
    public async Task A_registration_with_a_bad_url_or_setting_stops_the_host_at_start_naming_each_problem()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Hub:Chat:BaseUrl"] = "ftp://127.0.0.1:5000",
            ["Hub:Chat:NegotiateAttempts"] = "0",
            ["Hub:Chat:SkipNegotiation"] = "true",
            ["Hub:Chat:Transports"] = "All",
            ["Hub:Chat:DeviceId"] = "kitchen tablet",
        });
        builder.Services.AddChatClient("Hub:Chat");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("has the scheme 'ftp'", error.Message);
        Assert.Contains("NegotiateAttempts", error.Message);
        Assert.Contains("SkipNegotiation", error.Message);
        Assert.Contains("DeviceId must be 1-64 characters of letters, digits, '_', '.' or '-' (was 'kitchen tablet')", error.Message);
    }
}
