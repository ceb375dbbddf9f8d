namespace Hub.Server.Hubs;

/// <summary>
/// The hub of every namespace, listed once. Whatever is done per namespace (registering its dispatcher, mapping its
/// endpoint, describing its methods) visits this list, so a namespace is added here and nowhere else.
/// </summary>
public static class NamespaceHubs
{
    /// <summary>Calls <see cref="INamespaceHubVisitor.Visit{THub}"/> with each namespace's hub.</summary>
    public static void ForEach(INamespaceHubVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        visitor.Visit<ChatHub>();
        visitor.Visit<NotificationsHub>();
    }
}
