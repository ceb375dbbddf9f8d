using System.Collections.Concurrent;
using System.Diagnostics;

namespace Hub.Testing;

/// <summary>
/// A process the benchmark or a test started (a node, redis-server, nginx), its output going to a log file. Every
/// instance is remembered so that Ctrl+C or an unhandled error still stops exactly the processes this run started.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<ChildProcess, byte> s_live = new();
    private readonly Process _process;
    private readonly StreamWriter _log;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    private ChildProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    /// <summary>A label for messages.</summary>
    public string Name { get; }

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Whether it has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Where its output goes.</summary>
    public string LogPath { get; private init; } = "";

    /// <summary>The exit code, once it has exited.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Waits at most <paramref name="timeout"/> for the process to exit; returns its exit code.</summary>
    /// <exception cref="TimeoutException">It is still running.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as an orchestrator does to stop a service: the process shuts down on its own.</summary>
    public Task TerminateAsync(CancellationToken cancellationToken = default) => SignalAsync("TERM", cancellationToken);

    /// <summary>
    /// Freezes the process with SIGSTOP, as a paused VM, a long GC pause or a stalled disk would: its sockets stay
    /// open and it answers nothing until <see cref="ThawAsync"/>.
    /// </summary>
    public Task FreezeAsync(CancellationToken cancellationToken = default) => SignalAsync("STOP", cancellationToken);

    /// <summary>Lets a frozen process go on (SIGCONT).</summary>
    public Task ThawAsync(CancellationToken cancellationToken = default) => SignalAsync("CONT", cancellationToken);

    /// <summary>Sends <paramref name="signal"/> (<c>TERM</c>, <c>STOP</c>, <c>CONT</c>: the name without <c>SIG</c>) unless it has exited.</summary>
    public async Task SignalAsync(string signal, CancellationToken cancellationToken = default)
    {
        if (_process.HasExited)
        {
            return;
        }
        // .NET sends SIGKILL only; kill(1) sends the others.
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync(cancellationToken);
        if (kill.ExitCode != 0 && !_process.HasExited)
        {
            throw new InvalidOperationException($"kill -{signal} {Pid} failed with {kill.ExitCode}.");
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>, output to <paramref name="logPath"/>.</summary>
    public static ChildProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory, string logPath,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        if (!process.Start())
        {
            log.Dispose();
            throw new InvalidOperationException($"Could not start {fileName}.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new ChildProcess(name, process, log) { LogPath = logPath };
        s_live[child] = 0;
        return child;
    }

    /// <summary>The last lines of its log, for an error message.</summary>
    public string Tail(int lines = 15)
    {
        try
        {
            lock (_log)
            {
                try
                {
                    _log.Flush();
                }
                catch (ObjectDisposedException)
                {
                    // Closed when the process was stopped: everything is in the file already.
                }
            }

            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return string.Join(Environment.NewLine, reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Kills the process (and its children: nginx workers), waits for it, closes the log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!s_live.TryRemove(this, out _))
        {
            return;
        }

        Kill();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        lock (_log)
        {
            _log.Dispose();
        }

        _process.Dispose();
    }

    private static void KillAll()
    {
        foreach (var child in s_live.Keys)
        {
            child.Kill();
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }
}
