using Hub.Server.Logging;

namespace Microsoft.Extensions.Logging;

/// <summary>Keeps tokens out of every log, whatever providers and levels are configured.</summary>
public static class RedactionLoggingBuilderExtensions
{
    /// <summary>
    /// Wraps every logger provider registered so far in one that redacts <c>access_token</c> values. Call it after the
    /// last provider is added. Each original registration is kept as a keyed service, so the container still builds
    /// (and disposes) it exactly as registered.
    /// </summary>
    public static ILoggingBuilder RedactAccessTokens(this ILoggingBuilder logging)
    {
        var services = logging.Services;
        for (var i = 0; i < services.Count; i++)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType != typeof(ILoggerProvider) || descriptor.IsKeyedService)
            {
                continue;
            }
            var key = $"hub.redacted-provider.{i}";
            services.Add(descriptor.ImplementationInstance is { } instance ? ServiceDescriptor.KeyedSingleton(typeof(ILoggerProvider), key, instance)
                : descriptor.ImplementationFactory is { } factory ? ServiceDescriptor.KeyedSingleton(typeof(ILoggerProvider), key, (sp, _) => factory(sp))
                : ServiceDescriptor.KeyedSingleton(typeof(ILoggerProvider), key, descriptor.ImplementationType!));
            services[i] = ServiceDescriptor.Singleton<ILoggerProvider>(sp => new RedactingLoggerProvider(sp.GetRequiredKeyedService<ILoggerProvider>(key)));
        }
        return logging;
    }
}
