namespace StemeQL;

/// <summary>How fresh the materialized views a connection reads must be.</summary>
public enum StemeConsistency
{
    /// <summary>A read sees every write this connection made before it (the default).</summary>
    Strong,
    /// <summary>A read sees the views as they are, without waiting for recent writes to be folded in.</summary>
    Eventual,
}
