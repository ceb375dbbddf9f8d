namespace Hub.Server.Common;

/// <summary>A hub type that serves one namespace; lets generic services find the namespace of their hub.</summary>
public interface INamespaceHub
{
    /// <summary>The namespace the hub serves.</summary>
    static abstract HubNamespace Namespace { get; }

    /// <summary>The name of the namespace, from a hub instance (filters see the instance, not the type).</summary>
    string NamespaceName { get; }
}
