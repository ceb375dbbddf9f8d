using System.Diagnostics;

namespace Hub.Tests.Infrastructure;

/// <summary>Runs a command-line tool to completion (bounded) and returns what it printed.</summary>
public static class ToolProcess
{
    /// <summary>The result of a run.</summary>
    /// <param name="ExitCode">The tool's exit code.</param>
    /// <param name="Output">Standard output.</param>
    /// <param name="Error">Standard error.</param>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> in <paramref name="workingDirectory"/>.</summary>
    /// <exception cref="InvalidOperationException">The tool is not installed (with how to get it).</exception>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Repository.Root,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{file} is not installed: run ./test.sh (it installs what the tests need).", ex);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            try
            {
                await process.WaitForExitAsync().WaitAsync(timeout ?? TestTimeouts.Default);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            return new Result(process.ExitCode, await output, await error);
        }
    }
}
