using Microsoft.Extensions.Options;

namespace Hub.Server.Admin;

/// <summary>Checks <see cref="AdminOptions"/> at start; every failure names its configuration key.</summary>
public sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    // The key opens every user name and queue depth to its holder: a short one is too easy to guess.
    private const int MinimumKeyLength = 16;

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.ApiKey is { Length: > 0 } key && key.Length < MinimumKeyLength)
        {
            problems.Add($"Admin:ApiKey must be at least {MinimumKeyLength} characters (or empty: no operator key).");
        }
        if (string.IsNullOrWhiteSpace(options.Role))
        {
            problems.Add("Admin:Role must not be empty.");
        }
        if (options.SampleInterval < TimeSpan.FromSeconds(1))
        {
            problems.Add("Admin:SampleInterval must be at least 1 second.");
        }
        if (options.SampleWindow < options.SampleInterval * 2 || options.SampleWindow > options.SampleInterval * 1000)
        {
            problems.Add("Admin:SampleWindow must hold between 2 and 1000 samples (Admin:SampleInterval each).");
        }
        if (options.PendingSampleInterval != TimeSpan.Zero && options.PendingSampleInterval < TimeSpan.FromSeconds(1))
        {
            problems.Add("Admin:PendingSampleInterval must be at least 1 second, or 00:00:00 to turn the pending gauges off.");
        }
        if (options.CacheDuration < TimeSpan.Zero)
        {
            problems.Add("Admin:CacheDuration must not be negative.");
        }
        Positive(problems, "MaxNodes", options.MaxNodes);
        Positive(problems, "MaxRoomsScanned", options.MaxRoomsScanned);
        Positive(problems, "TopRooms", options.TopRooms);
        Positive(problems, "MaxQueuesScanned", options.MaxQueuesScanned);
        Positive(problems, "QueueScanBatch", options.QueueScanBatch);
        Positive(problems, "TopQueues", options.TopQueues);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Positive(List<string> problems, string key, int value)
    {
        if (value <= 0)
        {
            problems.Add($"Admin:{key} must be positive.");
        }
    }
}
