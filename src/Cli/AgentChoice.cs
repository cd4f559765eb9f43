namespace StemeQL.Cli;

/// <summary>
/// The agent a command line writes as: <c>--agent</c> when given, else the connection string's own <c>Agent</c>
/// (with <c>--connection</c>), else <c>$STEME_AGENT</c>, else anonymous.
/// </summary>
internal sealed class AgentChoice
{
    /// <summary>The environment variable that names the default agent.</summary>
    public const string Variable = "STEME_AGENT";

    /// <summary>Reads <see cref="Variable"/> through <paramref name="environment"/> (null: no environment).</summary>
    public AgentChoice(Func<string, string?>? environment)
    {
        if (environment?.Invoke(Variable) is { } value && !string.IsNullOrWhiteSpace(value)) FromEnvironment = value;
    }

    /// <summary>The agent <c>--agent</c> named, or null.</summary>
    public string? Named { get; private set; }

    /// <summary>The agent <see cref="Variable"/> named, or null.</summary>
    public string? FromEnvironment { get; }

    /// <summary>The agent a folder is opened as (a connection string's own Agent would come before <see cref="FromEnvironment"/>).</summary>
    public string Effective => Named ?? FromEnvironment ?? StemeConnectionStringBuilder.DefaultAgent;

    /// <summary>Takes the value of <c>--agent</c>.</summary>
    /// <exception cref="ShellOptionsException">The name is blank.</exception>
    public void Name(string agent) =>
        Named = string.IsNullOrWhiteSpace(agent) ? throw new ShellOptionsException("the agent name cannot be empty") : agent;
}
