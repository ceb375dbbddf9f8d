using Hub.Server.Hosting;

// Embedded mode by default; set Redis:Configuration for cluster mode. See README.md for every option.
HubApplication.Build(args).Run();

/// <summary>The entry point.</summary>
public partial class Program;
