namespace Hub.Server.Delivery.Outbound;

/// <summary>
/// <see cref="DeliveryOptions.WriteDelay"/> for the dispatch loop: a connection is written at most once per window. A
/// writer started less than the window ago is held until the window has passed, and whatever reaches its queue
/// meanwhile goes out with it in one write; a connection that was quiet for the window is written at once. So the
/// delay falls only on connections that get more than one message per window (where one write for several saves the
/// most), never on the others, and one busy connection holds up nobody else. Used by the dispatch loop only.
/// </summary>
/// <param name="window">The window; zero starts every writer at once.</param>
/// <param name="time">The clock.</param>
internal sealed class WriteWindow(TimeSpan window, TimeProvider time)
{
    private readonly PriorityQueue<ConnectionWriter, long> _held = new();
    private readonly long _window = (long)(window.TotalSeconds * time.TimestampFrequency);

    /// <summary>Whether writers are held.</summary>
    public bool Holding => _held.Count > 0;

    /// <summary>How long until the first held writer is due (zero or less: due now); only while <see cref="Holding"/>.</summary>
    public TimeSpan UntilNext => _held.TryPeek(out _, out var due)
        ? TimeSpan.FromSeconds((double)(due - time.GetTimestamp()) / time.TimestampFrequency)
        : Timeout.InfiniteTimeSpan;

    /// <summary>Starts the writers of <paramref name="idle"/> whose window has passed, holds the others, starts held ones now due; clears <paramref name="idle"/>.</summary>
    public void Start(List<ConnectionWriter> idle)
    {
        var now = time.GetTimestamp();
        foreach (var writer in idle)
        {
            if (_window > 0 && now - writer.LastStarted < _window)
            {
                _held.Enqueue(writer, writer.LastStarted + _window);
            }
            else
            {
                Start(writer, now);
            }
        }
        idle.Clear();
        while (_held.TryPeek(out var writer, out var due) && due <= now)
        {
            _held.Dequeue();
            Start(writer, now);
        }
    }

    private static void Start(ConnectionWriter writer, long now)
    {
        writer.LastStarted = now;
        writer.StartDraining();
    }
}
