namespace StemeQL.Core.Lenses;

/// <summary>The port through which a backend stores each lens's per-set state, keyed by lens name and set.</summary>
public interface ILensStateStore
{
    /// <summary>The stored state of <paramref name="lens"/> for <paramref name="set"/>, or null when there is none.</summary>
    LensState? Read(string lens, SetKey set);

    /// <summary>Stores (inserts or replaces) the state of <paramref name="lens"/> for <paramref name="set"/>.</summary>
    void Write(string lens, SetKey set, LensState state);

    /// <summary>
    /// The fold has handed over every state of its batch: a store that buffers writes (to store many
    /// in one statement) stores them now, in the batch's transaction. Nothing to do by default.
    /// </summary>
    void Flush() { }

    /// <summary>The batch is abandoned (its transaction rolls back): a store that buffers writes drops them. Nothing to do by default.</summary>
    void Discard() { }
}
