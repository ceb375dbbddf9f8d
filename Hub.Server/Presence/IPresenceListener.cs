namespace Hub.Server.Presence;

/// <summary>Told when a store finds that users went offline or came online without a connect or disconnect of ours.</summary>
public interface IPresenceListener
{
    /// <summary>Announces that <paramref name="user"/> of namespace <paramref name="ns"/> is offline (its node died, or a removal was repaired).</summary>
    Task UserWentOfflineAsync(string ns, string user, CancellationToken cancellationToken = default);

    /// <summary>Announces that <paramref name="user"/> of namespace <paramref name="ns"/> is online again (its presence was restored).</summary>
    Task UserCameOnlineAsync(string ns, string user, CancellationToken cancellationToken = default);
}
