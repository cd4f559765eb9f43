namespace StemeQL.Cli;

/// <summary>
/// What a <c>steme</c> command opens: a data folder (the positional argument, the default), or the
/// store any StemeQL connection string names (<c>--connection</c>), such as a PostgreSQL store's. The
/// command line's agent and read-only choice are laid over either.
/// </summary>
internal sealed class StoreTarget
{
    /// <summary>The option that names a connection string.</summary>
    public const string ConnectionOption = "--connection";

    private readonly string? _connectionString;

    private StoreTarget(string? folder, string? connectionString)
    {
        Folder = folder;
        _connectionString = connectionString;
    }

    /// <summary>The default target: <see cref="ShellOptions.DefaultFolder"/>.</summary>
    public static StoreTarget Default { get; } = new(ShellOptions.DefaultFolder, null);

    /// <summary>The data folder, or null when a connection string names the store.</summary>
    public string? Folder { get; }

    /// <summary>The store for messages: the folder, or the connection's data source (which never shows a password).</summary>
    public string Description
    {
        get
        {
            if (Folder is not null) return Folder;
            using var connection = new StemeConnection(_connectionString);
            return connection.DataSource;
        }
    }

    /// <summary>The target a command line names: the folder, the <c>--connection</c> string, or the default folder.</summary>
    /// <exception cref="ShellOptionsException">Both are given, or the one given is not valid.</exception>
    public static StoreTarget FromArguments(string? folder, string? connectionString) => (folder, connectionString) switch
    {
        (not null, not null) => throw new ShellOptionsException($"name a folder or {ConnectionOption}, not both (got folder '{folder}')"),
        (null, not null) => ForConnectionString(connectionString),
        (not null, null) => ForFolder(folder),
        _ => Default,
    };

    /// <summary>A data folder.</summary>
    /// <exception cref="ShellOptionsException">The name is blank.</exception>
    public static StoreTarget ForFolder(string folder) =>
        string.IsNullOrWhiteSpace(folder) ? throw new ShellOptionsException("the folder name cannot be empty") : new(folder, null);

    /// <summary>A StemeQL connection string, checked now so a typing mistake is a usage error.</summary>
    /// <exception cref="ShellOptionsException">The string is not a valid StemeQL connection string.</exception>
    public static StoreTarget ForConnectionString(string connectionString)
    {
        try
        {
            var builder = new StemeConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.DataSource))
                throw new ShellOptionsException($"{ConnectionOption} needs a Data Source, e.g. \"Storage=postgres;Data Source='Host=db;Database=facts'\"");
            return new(null, builder.ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new ShellOptionsException($"{ConnectionOption}: {e.Message}");
        }
    }

    /// <summary>
    /// The connection string to open, as <paramref name="agent"/> (null: the connection string's own, else
    /// anonymous). The command line's <c>--agent</c> comes before the connection string's Agent, $STEME_AGENT after it.
    /// </summary>
    public string ConnectionString(AgentChoice? agent, bool readOnly)
    {
        var builder = new StemeConnectionStringBuilder(_connectionString);
        if (Folder is not null) builder.DataSource = Folder;
        if (agent?.Named is { } named) builder.Agent = named;
        else if (!builder.TryGetValue("Agent", out _) && agent?.FromEnvironment is { } fromEnvironment) builder.Agent = fromEnvironment;
        if (readOnly) builder.ReadOnly = true;
        return builder.ConnectionString;
    }
}
