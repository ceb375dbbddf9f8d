using Microsoft.Extensions.Options;

namespace Hub.Client.Internal;

/// <summary>
/// Checks a registered client's options at host start, with the same rules as the clients' constructors plus the
/// URL that only the registration reads from configuration; every problem is named, prefixed with the client.
/// </summary>
internal sealed class HubClientOptionsValidator(string name) : IValidateOptions<HubClientOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? optionsName, HubClientOptions options)
    {
        if (optionsName != name)
        {
            return ValidateOptionsResult.Skip;
        }

        List<string> problems = [];
        if (options.BaseUrl is null)
        {
            problems.Add("HubClientOptions.BaseUrl is required (configuration key 'BaseUrl').");
        }
        else
        {
            try
            {
                HubClientBase.ToHttpUrl(options.BaseUrl);
            }
            catch (ArgumentException ex)
            {
                problems.Add(ex.Message);
            }
        }
        problems.AddRange(options.Problems());
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => $"{name}: {p}"));
    }
}
