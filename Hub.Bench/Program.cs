using Hub.Bench.Cli;

// Ctrl+C cancels the run (the started processes are stopped on the way out) instead of killing the tool mid-table.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await BenchCommandLine.Build().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration(), cancel.Token);
