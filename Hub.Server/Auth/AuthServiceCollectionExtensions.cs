using System.Security.Claims;
using Hub.Server.Auth;
using Hub.Server.Common;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Hub's authentication: JWT bearer, tokens also accepted as <c>access_token</c> on hub URLs.</summary>
public static partial class AuthServiceCollectionExtensions
{
    /// <summary>Adds JWT bearer authentication configured from the <c>Auth</c> section.</summary>
    public static IServiceCollection AddHubAuthentication(this IServiceCollection services)
    {
        services.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(AuthOptions.SectionName);
        services.AddSingleton<SigningKeyProvider>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<IUserIdProvider, ClaimUserIdProvider>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, SigningKeyProvider>((jwt, auth, keys) =>
            {
                var o = auth.Value;
                jwt.MapInboundClaims = false;
                // Nothing reads the raw token back; saving it keeps a copy per connection for the connection's life.
                jwt.SaveToken = false;
                jwt.Authority = string.IsNullOrEmpty(o.Authority) ? null : o.Authority;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = o.Issuer,
                    ValidAudience = o.Audience,
                    IssuerSigningKey = string.IsNullOrEmpty(o.Authority) ? keys.Key : null,
                    NameClaimType = o.UserClaim,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                jwt.Events = new JwtBearerEvents
                {
                    // Browsers cannot set headers on WebSockets, so SignalR clients send the token in the query string.
                    OnMessageReceived = context =>
                    {
                        var token = context.Request.Query["access_token"];
                        if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments("/hubs"))
                        {
                            context.Token = token;
                        }
                        return Task.CompletedTask;
                    },
                    // A hub connection holds its principal for as long as it is open, and the validated principal
                    // references the parsed token (header, payload, every claim). Hub only needs the user claim, so
                    // keep just that: ~2.6 KB less per idle connection (docs/benchmarks.md, idle connections).
                    OnTokenValidated = context =>
                    {
                        // A token whose user claim is not a valid name is refused here, so the connection gets 401
                        // and JwtBearer logs one Information line; Names holds the one definition of a valid name.
                        var user = context.Principal?.FindFirst(o.UserClaim)?.Value;
                        if (!Names.IsValid(user))
                        {
                            var reason = user is null ? $"The token has no '{o.UserClaim}' claim." : Names.InvalidUser(user);
                            Log.RefusedToken(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(Log.Category), reason);
                            context.Fail(reason);
                            return Task.CompletedTask;
                        }
                        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
                            [new Claim(o.UserClaim, user)], context.Scheme.Name, o.UserClaim, roleType: null));
                        return Task.CompletedTask;
                    },
                };
            });
        services.AddAuthorization();
        return services;
    }
}
