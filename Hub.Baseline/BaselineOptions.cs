namespace Hub.Baseline;

/// <summary>What the baseline server adds to plain SignalR (section <c>Baseline</c>).</summary>
public sealed class BaselineOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "Baseline";

    /// <summary>Require a JWT (bearer, or <c>access_token</c> on the hub URL) as Hub does. Default: true.</summary>
    public bool Auth { get; set; } = true;

    /// <summary>
    /// Keep only the <c>sub</c> claim in the validated principal, as Hub.Server does; false keeps JwtBearer's default
    /// principal, which references the parsed token. Default: false.
    /// </summary>
    public bool SlimPrincipal { get; set; }
}
