namespace Hub.Server.Presence;

/// <summary>Told when a store finds that users went offline without a disconnect of ours (their node died).</summary>
public interface IPresenceListener
{
    /// <summary>Announces that <paramref name="user"/> of namespace <paramref name="ns"/> is offline.</summary>
    Task UserWentOfflineAsync(string ns, string user, CancellationToken cancellationToken = default);
}
