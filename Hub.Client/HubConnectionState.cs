namespace Hub.Client;

/// <summary>The connection state of a <see cref="HubClientBase"/>.</summary>
public enum HubConnectionState
{
    /// <summary>Not connected: before <see cref="HubClientBase.StartAsync"/>, after <see cref="HubClientBase.StopAsync"/>, or after reconnecting gave up.</summary>
    Disconnected,

    /// <summary>The first connection is being established by <see cref="HubClientBase.StartAsync"/>.</summary>
    Connecting,

    /// <summary>Connected: invocations can be made.</summary>
    Connected,

    /// <summary>The connection dropped and the client is trying to connect again.</summary>
    Reconnecting,
}
