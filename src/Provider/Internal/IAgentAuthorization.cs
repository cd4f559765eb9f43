namespace StemeQL.Internal;

/// <summary>
/// Decides whether a connection may write as an agent other than its own: a batch command's
/// <see cref="StemeBatchCommand.Agent"/> or a bulk row's <c>Agent</c>. Every such write asks here, and
/// nowhere else. Today the answer is the connection string's <c>Allow Agent Override</c>
/// (<see cref="ConnectionStringAgentAuthorization"/>); when agents carry keys, an implementation will also
/// take the proof that the named agent signed the write, and check it against that agent's key.
/// </summary>
internal interface IAgentAuthorization
{
    /// <summary>The agent to write as: <paramref name="requested"/> when the connection may write as it.</summary>
    /// <param name="own">The connection's agent.</param>
    /// <param name="requested">The agent the write names (null or the connection's own is always allowed).</param>
    /// <exception cref="StemeException">AgentOverrideNotAllowed, or InvalidParameterValue for an empty name.</exception>
    string AgentFor(string own, string? requested);
}

/// <summary>Allows writing for others when the connection string says so (<c>Allow Agent Override=True</c>).</summary>
internal sealed class ConnectionStringAgentAuthorization(bool allowOverride) : IAgentAuthorization
{
    /// <summary>Refuses every other agent (the default).</summary>
    public static readonly ConnectionStringAgentAuthorization OwnAgentOnly = new(false);

    /// <inheritdoc />
    public string AgentFor(string own, string? requested)
    {
        if (requested is null || requested == own) return own;
        if (string.IsNullOrWhiteSpace(requested))
            throw new StemeException(StemeErrorCode.InvalidParameterValue, "The agent is empty: name the agent to write as, or leave it null for the connection's own.");
        return allowOverride ? requested : throw new StemeException(StemeErrorCode.AgentOverrideNotAllowed,
            $"This connection writes as '{own}' and may not write as '{requested}': set Allow Agent Override=True in the connection string of a service trusted to write for other agents.");
    }
}
