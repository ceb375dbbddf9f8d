namespace Hub.Server.Auth;

/// <summary>Who may connect. Bound from the <c>Auth</c> section.</summary>
public sealed class AuthOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Auth";

    /// <summary>
    /// Serve <c>POST /api/token</c>, which issues a token for <em>any</em> valid user name, so anyone who can reach
    /// the node can act as any user: for trying Hub out and for development only. Default <c>false</c>; the
    /// Development environment (<c>appsettings.Development.json</c>, which <c>dotnet run</c> uses) turns it on. A node
    /// that serves dev tokens outside Development logs a warning at every start.
    /// </summary>
    public bool DevTokens { get; set; }

    /// <summary>
    /// HMAC-SHA256 key (at least 32 bytes of UTF-8) that signs and validates tokens. Nodes of a cluster must share it.
    /// When empty and <see cref="DevTokens"/> is on, a random key is made at start (tokens die with the process).
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Expected (and, for dev tokens, issued) <c>iss</c>. Default <c>hub</c>.</summary>
    public string Issuer { get; set; } = "hub";

    /// <summary>Expected (and, for dev tokens, issued) <c>aud</c>. Default <c>hub</c>.</summary>
    public string Audience { get; set; } = "hub";

    /// <summary>
    /// An external OpenID Connect issuer whose published keys validate tokens, instead of <see cref="SigningKey"/>.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>The claim that holds the user name. Default <c>sub</c>.</summary>
    public string UserClaim { get; set; } = "sub";

    /// <summary>
    /// The claim that holds the user's roles (one claim per role). Default <c>role</c>. Only the admin page reads a
    /// role (<c>Admin:Role</c>); tokens without one are ordinary users.
    /// </summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>Lifetime of a dev token. Default 12 hours.</summary>
    public TimeSpan DevTokenLifetime { get; set; } = TimeSpan.FromHours(12);
}
