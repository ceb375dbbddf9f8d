using Microsoft.AspNetCore.SignalR;

namespace Hub.Baseline;

/// <summary>A hub with no methods and no connect logic: what a connection costs SignalR itself.</summary>
public sealed class EmptyHub : Microsoft.AspNetCore.SignalR.Hub
{
}
