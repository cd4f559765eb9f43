namespace StemeQL.Planner.Execution;

/// <summary>
/// The clock of a command's timeout, as a write sees it. A write stops it while it moves large
/// bytes values into the object store: that takes as long as the bytes take (their size, the disk,
/// the network), which is not waiting, so the timeout does not cut it off; cancellation still does.
/// The provider's command timeout implements it.
/// </summary>
public interface ICommandClock
{
    /// <summary>Stops the clock until the matching <see cref="Resume"/> (calls nest); the cancellation token still cancels.</summary>
    void Pause();

    /// <summary>Starts the clock again with the time it had left at <see cref="Pause"/>: the time in between does not count.</summary>
    void Resume();
}
