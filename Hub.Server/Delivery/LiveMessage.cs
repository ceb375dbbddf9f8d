using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Delivery;

/// <summary>A stored message on its way to this node's connections: serialized once, shared by every recipient.</summary>
/// <param name="Id">Its id (store order).</param>
/// <param name="Message">The <c>message</c> invocation carrying its envelope.</param>
internal readonly record struct LiveMessage(MessageId Id, SerializedHubMessage Message);
