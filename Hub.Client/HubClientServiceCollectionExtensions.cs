using Hub.Client;
using Hub.Client.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers <see cref="ChatClient"/> and <see cref="NotificationClient"/> as singletons, with their
/// <see cref="HubClientOptions"/> (named <c>nameof(ChatClient)</c> and <c>nameof(NotificationClient)</c>) bound from
/// configuration and/or code. The clients are not started: call <see cref="HubClientBase.StartAsync"/>; the container
/// disposes them.
/// </summary>
/// <example>
/// <code>
/// // appsettings.json: { "Hub": { "Chat": { "BaseUrl": "https://chat.example.com", "Protocol": "MessagePack" } } }
/// services.AddChatClient("Hub:Chat", o => o.AccessTokenProvider = tokens.GetTokenAsync);
/// </code>
/// </example>
public static class HubClientServiceCollectionExtensions
{
    /// <summary>Registers a <see cref="ChatClient"/> with options set in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see cref="HubClientOptions.BaseUrl"/> is required.</param>
    /// <returns>The options builder, to configure further (e.g. <c>.Configure&lt;TDep&gt;(...)</c> for a token provider from DI).</returns>
    public static OptionsBuilder<HubClientOptions> AddChatClient(this IServiceCollection services, Action<HubClientOptions> configure) =>
        services.AddHubClient(nameof(ChatClient), (url, options) => new ChatClient(url, options)).Configure(configure);

    /// <summary>Registers a <see cref="ChatClient"/> with options bound from a configuration section, then <paramref name="configure"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configSectionPath">The section, e.g. <c>Hub:Chat</c>; its <c>BaseUrl</c> is required.</param>
    /// <param name="configure">Sets what configuration cannot (the token provider, handlers); <c>null</c> for nothing.</param>
    /// <returns>The options builder, to configure further.</returns>
    public static OptionsBuilder<HubClientOptions> AddChatClient(this IServiceCollection services, string configSectionPath,
        Action<HubClientOptions>? configure = null) =>
        services.AddHubClient(nameof(ChatClient), (url, options) => new ChatClient(url, options)).Bind(configSectionPath, configure);

    /// <summary>Registers a <see cref="NotificationClient"/> with options set in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options; <see cref="HubClientOptions.BaseUrl"/> is required.</param>
    /// <returns>The options builder, to configure further.</returns>
    public static OptionsBuilder<HubClientOptions> AddNotificationClient(this IServiceCollection services, Action<HubClientOptions> configure) =>
        services.AddHubClient(nameof(NotificationClient), (url, options) => new NotificationClient(url, options)).Configure(configure);

    /// <summary>Registers a <see cref="NotificationClient"/> with options bound from a configuration section, then <paramref name="configure"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configSectionPath">The section, e.g. <c>Hub:Notifications</c>; its <c>BaseUrl</c> is required.</param>
    /// <param name="configure">Sets what configuration cannot (the token provider, handlers); <c>null</c> for nothing.</param>
    /// <returns>The options builder, to configure further.</returns>
    public static OptionsBuilder<HubClientOptions> AddNotificationClient(this IServiceCollection services, string configSectionPath,
        Action<HubClientOptions>? configure = null) =>
        services.AddHubClient(nameof(NotificationClient), (url, options) => new NotificationClient(url, options)).Bind(configSectionPath, configure);

    private static OptionsBuilder<HubClientOptions> AddHubClient<TClient>(this IServiceCollection services, string name,
        Func<Uri, HubClientOptions, TClient> create) where TClient : HubClientBase
    {
        ArgumentNullException.ThrowIfNull(services);
        // TryAdd: registering twice configures the same client (same options name) rather than making a second.
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptionsMonitor<HubClientOptions>>().Get(name);
            return create(options.BaseUrl!, options);
        });

        // The client's own checks (URL, sizes, transports) run again at host start, so a bad setting stops the host
        // and is named there rather than when the client is first asked for.
        services.AddSingleton<IValidateOptions<HubClientOptions>>(new HubClientOptionsValidator(name));
        return services.AddOptions<HubClientOptions>(name)
            .ValidateOnStart()
            .PostConfigure<IServiceProvider>((options, provider) => options.LoggerFactory ??= provider.GetService<ILoggerFactory>());
    }

    // Configuration first, then code: code sets what configuration cannot and wins where both set a value.
    private static OptionsBuilder<HubClientOptions> Bind(this OptionsBuilder<HubClientOptions> builder, string configSectionPath,
        Action<HubClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(configSectionPath);
        builder.BindConfiguration(configSectionPath);
        return configure is null ? builder : builder.Configure(configure);
    }
}
