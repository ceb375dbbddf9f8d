using System.Globalization;

namespace Hub.Bench.Measurement;

/// <summary>
/// Reads CPU time and memory of a process, and machine-wide CPU time, from /proc. Outside Linux, or for a process
/// that is gone, it returns zeros rather than failing a run: the delivery figures still stand.
/// </summary>
public static class ProcFs
{
    // USER_HZ: 100 on every mainstream Linux build; the kernel reports stat times in these units.
    private const double TicksPerSecond = 100.0;

    /// <summary>Clock ticks to microseconds.</summary>
    public static double TicksToMicroseconds(long ticks) => ticks * (1_000_000.0 / TicksPerSecond);

    /// <summary>Reads one process.</summary>
    public static ProcessSample Read(int pid)
    {
        try
        {
            return new ProcessSample(ReadCpuTicks(pid), ReadStatusKb(pid, "VmRSS:") * 1024, ReadStatusKb(pid, "VmHWM:") * 1024);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return default;
        }
    }

    /// <summary>The child processes of <paramref name="pid"/> (e.g. nginx's workers).</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var dir in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var path = Path.Combine(dir, "children");
                if (File.Exists(path))
                {
                    foreach (var part in File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        children.Add(int.Parse(part, CultureInfo.InvariantCulture));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return children;
    }

    /// <summary>Machine-wide (busy, total) clock ticks from the first line of /proc/stat.</summary>
    public static (long Busy, long Total) ReadMachineTicks()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            long total = 0;
            long idle = 0;
            for (var i = 1; i < fields.Length && i <= 8; i++)
            {
                var value = long.Parse(fields[i], CultureInfo.InvariantCulture);
                total += value;
                if (i is 4 or 5)
                {
                    idle += value; // idle and iowait
                }
            }

            return (total - idle, total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or NullReferenceException)
        {
            return (0, 0);
        }
    }

    private static long ReadCpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");

        // The command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'.
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
        return long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
    }

    private static long ReadStatusKb(int pid, string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var value = line[key.Length..].Trim();
                return long.Parse(value[..value.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
