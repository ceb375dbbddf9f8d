using Hub.Server.Common;
using Microsoft.AspNetCore.SignalR;

namespace Hub.Server.Hubs;

/// <summary>The clients of one namespace's hub, for services that send to a namespace named at run time.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="Clients">Its hub's clients (groups, users, connections), on every node.</param>
public sealed record NamespaceClients(HubNamespace Namespace, IHubClients<IHubClient> Clients);
