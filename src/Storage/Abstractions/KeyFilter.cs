namespace StemeQL.Storage.Abstractions;

/// <summary>
/// The keys a query pins: a set of subjects and a set of predicates, each null for "any".
/// An empty set matches nothing.
/// </summary>
public sealed record KeyFilter(IReadOnlyCollection<string>? Subjects, IReadOnlyCollection<string>? Predicates)
{
    /// <summary>Matches every assertion.</summary>
    public static readonly KeyFilter All = new(null, null);

    /// <summary>True when this filter pins at least one subject set.</summary>
    public bool PinsSubject => Subjects is not null;

    /// <summary>True when this filter pins predicates.</summary>
    public bool PinsPredicate => Predicates is not null;

    /// <summary>True when the filter can match nothing.</summary>
    public bool MatchesNothing => Subjects is { Count: 0 } || Predicates is { Count: 0 };
}
