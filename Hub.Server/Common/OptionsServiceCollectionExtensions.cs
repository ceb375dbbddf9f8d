using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The one way Hub registers its options: bound from a configuration section, checked by a validator at start.</summary>
public static class OptionsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and validates it with
    /// <typeparamref name="TValidator"/> when the host starts, so a bad value stops the node with the validator's message.
    /// </summary>
    /// <typeparam name="TOptions">The options POCO.</typeparam>
    /// <typeparam name="TValidator">Its validator; every failure names the configuration key.</typeparam>
    /// <param name="services">The services.</param>
    /// <param name="section">The configuration section, e.g. <c>Limits</c> or <c>Redis:Backplane</c>.</param>
    /// <returns>The options builder, for more configuration.</returns>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }
}
