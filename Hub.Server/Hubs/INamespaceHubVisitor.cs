using Hub.Server.Common;

namespace Hub.Server.Hubs;

/// <summary>Does something for one namespace's hub type (see <see cref="NamespaceHubs.ForEach"/>).</summary>
public interface INamespaceHubVisitor
{
    /// <summary>Called once per namespace with its hub.</summary>
    void Visit<THub>() where THub : NamespaceHub<THub>, INamespaceHub;
}
