var builder = WebApplication.CreateBuilder(args);

builder.Services.AddHubAuthentication();
builder.Services.AddHubCore();

var app = builder.Build();

app.UseHubWebPage();
app.UseAuthentication();
app.UseAuthorization();
app.MapHubEndpoints();

app.Run();

/// <summary>The entry point, public so tests can host the app.</summary>
public partial class Program;
