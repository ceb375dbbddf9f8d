using Hub.Tests.Infrastructure;

namespace Hub.Tests.Client;

/// <summary>What samples/Hub.Samples.Console prints when it works, checked the same way for its build and its package run.</summary>
internal static class SampleOutput
{
    /// <summary>
    /// Asserts that the sample, run as <paramref name="user"/> against a fresh server, connected, created and joined the
    /// room, and received and acknowledged its own message; returns that message's id.
    /// </summary>
    public static string AssertRoundTrip(ToolProcess.Result run, string user)
    {
        Assert.True(run.ExitCode == 0, $"The sample exited with {run.ExitCode}.\n{run.Output}\n{run.Error}");
        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 5, $"Five lines expected:\n{run.Output}");
        Assert.Equal($"connected as {user}", lines[0]);
        Assert.Equal("joined general (1 members)", lines[1]);
        var sentId = Assert.Single(lines, line => line.StartsWith("sent ", StringComparison.Ordinal))["sent ".Length..];
        // The echo may be handled before or after the send's result arrives; "acked" always follows "received".
        string[] rest = [$"sent {sentId}", $"received [general] {user}: hello from {user}", $"acked {sentId}"];
        Assert.Equal(rest.Order(StringComparer.Ordinal), lines[2..].Order(StringComparer.Ordinal));
        Assert.True(Array.IndexOf(lines, $"acked {sentId}") > Array.IndexOf(lines, $"received [general] {user}: hello from {user}"));
        return sentId;
    }
}
