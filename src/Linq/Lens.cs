namespace StemeQL.Linq;

/// <summary>
/// A lens by name, for <see cref="StemeQueryableExtensions.UsingLens"/>: how competing assertions
/// about one (subject, predicate) resolve into one row (see docs/lenses.md).
/// </summary>
public sealed record Lens
{
    private Lens(string name) => Name = name;

    /// <summary>The lens name as StemeQL writes it after <c>USING LENS</c>.</summary>
    public string Name { get; }

    /// <summary><c>consensus</c>: the value with the greatest total support.</summary>
    public static Lens Consensus { get; } = new("consensus");

    /// <summary><c>recency</c>: the newest assertion wins.</summary>
    public static Lens Recency { get; } = new("recency");

    /// <summary>Any lens by name; the database checks the name when the query runs (<c>UnknownLens</c>).</summary>
    public static Lens Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new Lens(name);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
