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
    /// <param name="file">The tool.</param>
    /// <param name="args">Its arguments.</param>
    /// <param name="workingDirectory">Where it runs; the repository root by default.</param>
    /// <param name="timeout">How long it may take; <see cref="TestTimeouts.Default"/> by default.</param>
    /// <param name="environment">Environment variables to set, or to remove (a null value), for this run.</param>
    /// <exception cref="InvalidOperationException">The tool is not installed (with how to get it).</exception>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string?>? environment = null)
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
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
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
