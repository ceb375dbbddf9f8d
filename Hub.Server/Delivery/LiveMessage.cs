using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Delivery;

/// <summary>A stored message on its way to this node's connections: serialized once, shared by every recipient.</summary>
/// <param name="Ref">Where it is stored (scope and position).</param>
/// <param name="Message">The <c>message</c> invocation carrying its envelope.</param>
internal readonly record struct LiveMessage(MessageRef Ref, SerializedHubMessage Message);
