namespace Hub.Redis;

/// <summary>One command of a batch: its name (e.g. <c>SET</c>) and arguments.</summary>
public readonly struct RedisCommand
{
    /// <summary>Creates a command.</summary>
    /// <param name="name">The command name, one word (e.g. <c>SET</c>; a sub-command such as <c>SETNAME</c> is an argument).</param>
    /// <param name="arguments">The arguments.</param>
    public RedisCommand(string name, IReadOnlyList<RedisValue> arguments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(arguments);
        Name = name;
        Arguments = arguments;
    }

    /// <summary>Creates a command.</summary>
    /// <param name="name">The command name, one word.</param>
    /// <param name="arguments">The arguments.</param>
    public RedisCommand(string name, params RedisValue[] arguments)
        : this(name, (IReadOnlyList<RedisValue>)arguments)
    {
    }

    /// <summary>The command name.</summary>
    public string Name { get; }

    /// <summary>The arguments (never null for a constructed command).</summary>
    public IReadOnlyList<RedisValue> Arguments { get; }

    /// <summary>A readable form for logs: the name and the number of arguments, never their values (they may be secrets).</summary>
    public override string ToString() => $"{Name} ({Arguments?.Count ?? 0} args)";
}
