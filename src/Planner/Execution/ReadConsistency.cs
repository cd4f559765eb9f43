namespace StemeQL.Planner.Execution;

/// <summary>What a session's reads wait for before they run (the provider's <c>Consistency</c>).</summary>
public enum ReadConsistency
{
    /// <summary>The views must include this session's own writes (and any token the read carries).</summary>
    ReadYourWrites,
    /// <summary>No wait, except for a token the read carries.</summary>
    Eventual,
    /// <summary>Like <see cref="ReadYourWrites"/>, but every read must carry a token (a minimum LSN).</summary>
    AtLeast,
    /// <summary>The views must include every write acknowledged in this process before the read started.</summary>
    Process,
}
