using System.ComponentModel;

namespace StemeQL;

/// <summary>
/// What a read waits for before it reads the materialized views (the connection string's
/// <c>Consistency</c>). Writes are durable when acknowledged at every level; the levels differ only in
/// which acknowledged writes a read is sure to see. A command's <see cref="StemeCommand.MinimumLsn"/>
/// is honoured at every level.
/// </summary>
public enum StemeConsistency
{
    /// <summary>
    /// The default: a read sees every write made through its own connection before it, and waits for
    /// nothing else, so other connections' backlogs never hold it up.
    /// </summary>
    ReadYourWrites = 0,

    /// <summary>A read sees the views as they are, without waiting for recent writes to be folded in.</summary>
    Eventual = 1,

    /// <summary>
    /// Like <see cref="ReadYourWrites"/>, and every read must carry a visibility token in
    /// <see cref="StemeCommand.MinimumLsn"/> (another connection's <see cref="StemeConnection.LastWriteLsn"/>):
    /// a read without one is an error, so a token forgotten on the way is caught rather than read stale.
    /// </summary>
    AtLeast = 2,

    /// <summary>
    /// A read sees every write acknowledged in this process before it started, by any connection. It
    /// waits for other connections' writes too, so a busy writer's backlog holds it up.
    /// </summary>
    Process = 3,

    /// <summary>The former default's name, kept as an alias of <see cref="Process"/> (its behaviour).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    Strong = Process,
}
