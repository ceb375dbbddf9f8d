using System.Text.RegularExpressions;
using Hub.Tests.Infrastructure;

namespace Hub.Tests.Client;

/// <summary>samples/Hub.Samples.Console, the README's "Use it from .NET" code, against a real server.</summary>
public sealed partial class SampleTests
{
    private static readonly string s_sampleProgram = Repository.Path("samples", "Hub.Samples.Console", "Program.cs");

    [Fact]
    public async Task Sample_creates_the_room_joins_sends_receives_and_acknowledges_on_a_fresh_server()
    {
        await using var host = await HubTestHost.StartAsync();
        var sample = Repository.Path("samples", "Hub.Samples.Console", "bin", Repository.Configuration, "net10.0", "Hub.Samples.Console.dll");

        var run = await ToolProcess.RunAsync("dotnet", [sample, host.BaseAddress.ToString(), "carol"], timeout: TimeSpan.FromMinutes(1));
        SampleOutput.AssertRoundTrip(run, "carol");

        // The ack reached the server: the user's next connection has nothing pending.
        await using var carol = await host.ChatAsync("carol");
        Assert.Equal(0, (await carol.WaitForResumeAsync()).Redelivered);
    }

    [Fact]
    public async Task Readme_snippet_is_the_sample_code()
    {
        var readme = await File.ReadAllTextAsync(Repository.Path("README.md"));
        var section = readme[readme.IndexOf("## Use it from .NET", StringComparison.Ordinal)..];
        var snippet = CSharpBlock().Match(section);

        Assert.True(snippet.Success, "README's 'Use it from .NET' has a ```csharp block.");
        Assert.Contains(snippet.Groups["code"].Value.Trim(), (await File.ReadAllTextAsync(s_sampleProgram)).ReplaceLineEndings("\n"));
    }

    [GeneratedRegex("```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
