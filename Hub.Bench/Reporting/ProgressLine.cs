using System.Diagnostics;
using Hub.Bench.Measurement;

namespace Hub.Bench.Reporting;

/// <summary>
/// The live status line on stderr (stdout stays clean for <c>--json</c>): rewritten in place on a terminal, a new
/// line every few seconds when redirected. It also drives the resource monitor's memory peak sampling.
/// </summary>
public sealed class ProgressLine : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private int _lastLength;

    private ProgressLine(string label, Func<string> status, ResourceMonitor? monitor, bool quiet)
    {
        _loop = LoopAsync(label, status, monitor, quiet);
    }

    /// <summary>Starts showing <paramref name="status"/> under <paramref name="label"/>.</summary>
    public static ProgressLine Start(string label, Func<string> status, ResourceMonitor? monitor, bool quiet) => new(label, status, monitor, quiet);

    /// <summary>Stops the line and ends it with a newline.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task LoopAsync(string label, Func<string> status, ResourceMonitor? monitor, bool quiet)
    {
        var started = Stopwatch.GetTimestamp();
        var lastPrinted = 0.0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                monitor?.SamplePeaks();
                var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
                if (quiet || (!_interactive && elapsed - lastPrinted < 3))
                {
                    continue;
                }

                lastPrinted = elapsed;
                Write($"[{label}] {elapsed,5:0.0}s {status()}");
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (!quiet && _interactive && _lastLength > 0)
        {
            Console.Error.WriteLine();
        }
    }

    private void Write(string text)
    {
        if (_interactive)
        {
            var padded = text.Length < _lastLength ? text.PadRight(_lastLength) : text;
            _lastLength = text.Length;
            Console.Error.Write("\r" + padded);
        }
        else
        {
            Console.Error.WriteLine(text);
        }
    }
}
