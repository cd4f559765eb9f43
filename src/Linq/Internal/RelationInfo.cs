using System.Reflection;

namespace StemeQL.Linq;

/// <summary>A StemeQL relation as the LINQ provider sees it: its name, its row type and which property reads which column.</summary>
internal sealed class RelationInfo
{
    private readonly Dictionary<string, string> _columnByProperty;

    private RelationInfo(string name, Type rowType, (string Property, string Column)[] columns, Func<object?[], int, object> create)
    {
        Name = name;
        RowType = rowType;
        Columns = [.. columns.Select(c => c.Column)];
        _columnByProperty = columns.ToDictionary(c => c.Property, c => c.Column, StringComparer.Ordinal);
        Create = create;
    }

    /// <summary>The relation's name after FROM.</summary>
    public string Name { get; }

    /// <summary>The CLR type of one row.</summary>
    public Type RowType { get; }

    /// <summary>The columns a whole row reads, in the row type's constructor order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Builds a row from <see cref="Columns"/>' values starting at an offset of a row read back.</summary>
    public Func<object?[], int, object> Create { get; }

    /// <summary>The column a row property reads, or null when the member is not a column.</summary>
    public string? ColumnOf(MemberInfo member) =>
        member.DeclaringType == RowType && _columnByProperty.TryGetValue(member.Name, out var column) ? column : null;

    /// <summary>The property names, for error messages.</summary>
    public string PropertyList => string.Join(", ", _columnByProperty.Keys);

    /// <summary><c>assertions</c>, read as <see cref="AssertionRow"/>.</summary>
    public static readonly RelationInfo Assertions = new("assertions", typeof(AssertionRow),
    [
        (nameof(AssertionRow.Hash), "hash"), (nameof(AssertionRow.Subject), "subject"), (nameof(AssertionRow.Predicate), "predicate"),
        (nameof(AssertionRow.Object), "object"), (nameof(AssertionRow.ObjectType), "object_type"), (nameof(AssertionRow.Epoch), "epoch"),
        (nameof(AssertionRow.Agent), "agent"), (nameof(AssertionRow.AssertedAt), "asserted_at"), (nameof(AssertionRow.Lsn), "lsn"),
        (nameof(AssertionRow.Confidence), "confidence"), (nameof(AssertionRow.Support), "support"), (nameof(AssertionRow.Candidates), "candidates"),
    ],
    (v, i) => new AssertionRow(
        Values.Read<string>(v, i), Values.Read<string>(v, i + 1), Values.Read<string>(v, i + 2), Values.Read<object>(v, i + 3),
        Values.Read<string>(v, i + 4), Values.Read<string>(v, i + 5), Values.Read<string>(v, i + 6), Values.Read<DateTime>(v, i + 7),
        Values.Read<long>(v, i + 8), Values.Read<double?>(v, i + 9), Values.Read<double?>(v, i + 10), Values.Read<long?>(v, i + 11)));

    /// <summary><c>votes</c>, read as <see cref="VoteRow"/>.</summary>
    public static readonly RelationInfo Votes = new("votes", typeof(VoteRow),
    [
        (nameof(VoteRow.Assertion), "assertion"), (nameof(VoteRow.Agent), "agent"), (nameof(VoteRow.Weight), "weight"),
        (nameof(VoteRow.VotedAt), "voted_at"), (nameof(VoteRow.Lsn), "lsn"),
    ],
    (v, i) => new VoteRow(Values.Read<string>(v, i), Values.Read<string>(v, i + 1), Values.Read<double>(v, i + 2),
        Values.Read<DateTime>(v, i + 3), Values.Read<long>(v, i + 4)));

    /// <summary><c>agents</c>, read as <see cref="AgentRow"/>.</summary>
    public static readonly RelationInfo Agents = new("agents", typeof(AgentRow),
    [
        (nameof(AgentRow.Agent), "agent"), (nameof(AgentRow.Assertions), "assertions"), (nameof(AgentRow.Votes), "votes"),
        (nameof(AgentRow.FirstLsn), "first_lsn"), (nameof(AgentRow.LastLsn), "last_lsn"),
    ],
    (v, i) => new AgentRow(Values.Read<string>(v, i), Values.Read<long>(v, i + 1), Values.Read<long>(v, i + 2),
        Values.Read<long>(v, i + 3), Values.Read<long>(v, i + 4)));

    /// <summary><c>stemeql_status</c>, read as <see cref="StatusRow"/>.</summary>
    public static readonly RelationInfo Status = new("stemeql_status", typeof(StatusRow),
    [
        (nameof(StatusRow.DurableLsn), "durable_lsn"), (nameof(StatusRow.IngestedLsn), "ingested_lsn"),
        (nameof(StatusRow.MaterializedLsn), "materialized_lsn"), (nameof(StatusRow.LagLsns), "lag_lsns"), (nameof(StatusRow.LagMs), "lag_ms"),
        (nameof(StatusRow.JournalSegments), "journal_segments"), (nameof(StatusRow.JournalBytes), "journal_bytes"),
        (nameof(StatusRow.ReadOnly), "read_only"), (nameof(StatusRow.Failure), "failure"),
    ],
    (v, i) => new StatusRow(Values.Read<long>(v, i), Values.Read<long>(v, i + 1), Values.Read<long>(v, i + 2), Values.Read<long>(v, i + 3),
        Values.Read<double>(v, i + 4), Values.Read<long>(v, i + 5), Values.Read<long>(v, i + 6), Values.Read<bool>(v, i + 7),
        Values.Read<string?>(v, i + 8)));
}
