namespace Hub.Server.Delivery.Outbound;

/// <summary>
/// The open generic <c>HubLifetimeManager&lt;&gt;</c> implementation that <see cref="ConnectionTrackingHubLifetimeManager{THub}"/>
/// wraps: SignalR's <c>DefaultHubLifetimeManager&lt;&gt;</c> in embedded mode, our Redis one in cluster mode.
/// </summary>
/// <param name="OpenType">The implementation type, e.g. <c>typeof(DefaultHubLifetimeManager&lt;&gt;)</c>.</param>
internal sealed record InnerHubLifetimeManager(Type OpenType);
