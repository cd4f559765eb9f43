namespace StemeQL.Core.Lenses;

/// <summary>Reads every value of a candidate set as the current batch leaves it (a backend's value tallies).</summary>
public interface ISetValues
{
    /// <summary>Every distinct value of <paramref name="set"/>, with its support and first LSN.</summary>
    IReadOnlyList<ValueTally> Of(SetKey set);
}
