namespace Microsoft.AspNetCore.Builder;

/// <summary>Security headers on every response: the page may load only its own scripts and talk only to its own hub.</summary>
public static class SecurityHeadersExtensions
{
    // The page is one bundled script and one stylesheet from this origin; it connects only to this origin's hubs
    // ('self' covers ws:/wss: to the same host in CSP Level 3 browsers). Nothing may frame it.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    /// <summary>
    /// Adds <c>Content-Security-Policy</c>, <c>X-Content-Type-Options: nosniff</c>, <c>X-Frame-Options: DENY</c> (for
    /// browsers without <c>frame-ancestors</c>) and <c>Referrer-Policy: no-referrer</c> to every response.
    /// </summary>
    public static WebApplication UseHubSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return next(context);
        });
        return app;
    }
}
