namespace StemeQL.Core.Lenses;

/// <summary>The port through which a backend stores each lens's per-set state, keyed by lens name and set.</summary>
public interface ILensStateStore
{
    /// <summary>The stored state of <paramref name="lens"/> for <paramref name="set"/>, or null when there is none.</summary>
    LensState? Read(string lens, SetKey set);

    /// <summary>Stores (inserts or replaces) the state of <paramref name="lens"/> for <paramref name="set"/>.</summary>
    void Write(string lens, SetKey set, LensState state);
}
