using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Hub.Contracts;
using Hub.Server.Common;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Hub.Server.Hubs;

/// <summary>
/// The hub protocol (JSON) with one change: a call whose arguments do not bind (wrong count or JSON type) is answered
/// with the method's parameters, e.g. <c>HubException: SendToRoom takes (string room, string text). [invalid_argument]</c>, instead of
/// SignalR's bare "due to an error on the server". SignalR binds arguments while parsing the frame, before any hub
/// filter runs, so the protocol is the only place that sees the failure; everything else is the inner protocol's.
/// </summary>
public sealed class DescriptiveBindingErrorsProtocol(IHubProtocol inner) : IHubProtocol
{
    // Parameter lists of every hub method, by name; a name both hubs have has the same parameters (NamespaceHub's).
    private static readonly Dictionary<string, string> Signatures = HubTypes.All()
        .SelectMany(hub => hub.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Concat(hub.BaseType!.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)))
        .Where(method => !method.IsSpecialName && method.Name is not (nameof(Microsoft.AspNetCore.SignalR.Hub.OnConnectedAsync) or nameof(Microsoft.AspNetCore.SignalR.Hub.OnDisconnectedAsync)))
        .DistinctBy(method => method.Name)
        .ToDictionary(method => method.Name, Describe, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public string Name => inner.Name;

    /// <inheritdoc/>
    public int Version => inner.Version;

    /// <inheritdoc/>
    public TransferFormat TransferFormat => inner.TransferFormat;

    /// <inheritdoc/>
    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        if (!inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }
        if (message is InvocationBindingFailureMessage failure && Describe(failure.Target, binder) is { } expected)
        {
            message = new InvocationBindingFailureMessage(failure.InvocationId, failure.Target,
                ExceptionDispatchInfo.Capture(new HubException(new HubError($"{failure.Target} takes {expected}.", HubErrorCodes.InvalidArgument).ToWireText())));
        }
        return true;
    }

    /// <inheritdoc/>
    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);

    /// <inheritdoc/>
    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    // Only for a method this connection's hub has (the binder knows; it throws for an unknown one, whose failure
    // already says "Method does not exist.").
    private static string? Describe(string target, IInvocationBinder binder)
    {
        try
        {
            binder.GetParameterTypes(target);
        }
        catch (HubException)
        {
            return null;
        }
        return Signatures.GetValueOrDefault(target);
    }

    // "(string room, string? before, number limit)": JSON types, with the parameter names the docs use.
    private static string Describe(MethodInfo method)
    {
        var nullability = new NullabilityInfoContext();
        return $"({string.Join(", ", method.GetParameters().Select(p =>
            $"{JsonType(p.ParameterType)}{(nullability.Create(p).ReadState == NullabilityState.Nullable ? "?" : "")} {p.Name}"))})";
    }

    private sealed class HubTypes : INamespaceHubVisitor
    {
        private readonly List<Type> _types = [];

        public static List<Type> All()
        {
            var visitor = new HubTypes();
            NamespaceHubs.ForEach(visitor);
            return visitor._types;
        }

        public void Visit<THub>() where THub : NamespaceHub<THub>, INamespaceHub => _types.Add(typeof(THub));
    }

    private static string JsonType(Type type) =>
        type == typeof(string) ? "string"
        : type == typeof(int) || type == typeof(long) || type == typeof(double) ? "number"
        : type == typeof(bool) ? "boolean"
        : type.IsArray ? JsonType(type.GetElementType()!) + "[]"
        : type.Name;
}
