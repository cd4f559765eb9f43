namespace StemeQL.Core.Lenses;

/// <summary>The port through which a backend stores each lens's per-set state, keyed by lens name and set.</summary>
public interface ILensStateStore
{
    /// <summary>The stored state of <paramref name="lens"/> for <paramref name="set"/>, or null when there is none.</summary>
    LensState? Read(string lens, SetKey set);

    /// <summary>Stores (inserts or replaces) the state of <paramref name="lens"/> for <paramref name="set"/>.</summary>
    void Write(string lens, SetKey set, LensState state);

    /// <summary>
    /// The batch changed the view row of <paramref name="lens"/> for <paramref name="set"/>: its tallies, its total
    /// or its state (called for every lens of every set the batch touched, whether or not its state moved). A store
    /// that keeps each view row denormalized rewrites it at <see cref="Flush"/>. Nothing to do by default.
    /// </summary>
    void Touched(string lens, SetKey set) { }

    /// <summary>
    /// The fold has handed over every state of its batch: a store that buffers writes (to store many
    /// in one statement) stores them now, in the batch's transaction. Nothing to do by default.
    /// </summary>
    void Flush() { }

    /// <summary>The batch is abandoned (its transaction rolls back): a store that buffers writes drops them. Nothing to do by default.</summary>
    void Discard() { }
}
