namespace Hub.Server.Common;

/// <summary>The one check of a history page's size (room history and conversations alike).</summary>
public static class HistoryPage
{
    /// <summary>Returns <paramref name="limit"/>, or refuses one outside 1..<paramref name="max"/> (<c>Limits:MaxHistoryPage</c>).</summary>
    public static int Limit(int limit, int max) => limit >= 1 && limit <= max ? limit
        : throw new HubRequestException($"History limit must be between 1 and {max}. Set by Limits:MaxHistoryPage.");
}
