namespace StemeQL.Core.Model;

/// <summary>Log sequence numbers: the total order of everything written. The first write gets <see cref="First"/>.</summary>
public static class Lsn
{
    /// <summary>The LSN of the first write to an empty database.</summary>
    public const long First = 1;

    /// <summary>The LSN "before everything": no write has it.</summary>
    public const long None = 0;
}
