namespace Hub.Tests.Infrastructure;

/// <summary>Every await on an event in the tests is bounded by this, so a missing event fails instead of hanging.</summary>
public static class TestTimeouts
{
    /// <summary>Generous for a 2-core CI machine; only reached when something is wrong (the same as <see cref="Poll"/>'s).</summary>
    public static readonly TimeSpan Default = Poll.DefaultTimeout;

    /// <summary>Awaits <paramref name="task"/> with <see cref="Default"/>.</summary>
    public static Task<T> OrTimeout<T>(this Task<T> task) => task.WaitAsync(Default);

    /// <summary>Awaits <paramref name="task"/> with <see cref="Default"/>.</summary>
    public static Task OrTimeout(this Task task) => task.WaitAsync(Default);
}
