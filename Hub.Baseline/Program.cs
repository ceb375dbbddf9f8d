using System.Security.Claims;
using System.Security.Cryptography;
using Hub.Baseline;
using Hub.Contracts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

// Serves what Hub.Bench needs from a Hub (POST /api/token, GET /readyz, rooms and sends at /hubs/chat) on plain
// SignalR with no durability, e.g.
//   dotnet Hub.Baseline/bin/Release/net10.0/Hub.Baseline.dll --urls http://127.0.0.1:5100 --Baseline:Auth=true
//   dotnet Hub.Bench/bin/Release/net10.0/Hub.Bench.dll idle --url http://127.0.0.1:5100 --pid <its pid>
var builder = WebApplication.CreateBuilder(args);
var options = builder.Configuration.GetSection(BaselineOptions.SectionName).Get<BaselineOptions>() ?? new BaselineOptions();
var key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));

builder.Services.AddSignalR();
builder.Services.AddSingleton(TimeProvider.System);
if (options.Auth)
{
    builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
    {
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = false,
            ValidateAudience = false,
            IssuerSigningKey = key,
            NameClaimType = "sub",
        };
        jwt.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                context.Token = context.Request.Query["access_token"];
                return Task.CompletedTask;
            },
            OnTokenValidated = context =>
            {
                if (options.SlimPrincipal && context.Principal?.FindFirst("sub") is { } user)
                {
                    context.Principal = new ClaimsPrincipal(new ClaimsIdentity([user], context.Scheme.Name, "sub", roleType: null));
                }
                return Task.CompletedTask;
            },
        };
    });
    builder.Services.AddAuthorization();
}

var app = builder.Build();
if (options.Auth)
{
    app.UseAuthentication();
    app.UseAuthorization();
}
var hub = app.MapHub<BaselineChatHub>(HubPaths.Chat);
if (options.Auth)
{
    hub.RequireAuthorization();
}
app.MapGet("/readyz", () => Results.Ok());
app.MapPost(HubPaths.Token, (TokenRequest request) =>
{
    var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Subject = new ClaimsIdentity([new Claim("sub", request.User ?? "anonymous")]),
        Expires = DateTime.UtcNow.AddHours(1),
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
    });
    return Results.Ok(new TokenResponse(token));
});
app.Run();
