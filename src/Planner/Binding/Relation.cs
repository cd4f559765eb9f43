using StemeQL.Core.Model;

namespace StemeQL.Planner.Binding;

/// <summary>A relation users can select from, with its columns in <c>SELECT *</c> order.</summary>
public sealed class Relation
{
    private readonly Dictionary<string, int> _ordinals;

    private Relation(string name, params ResultColumn[] columns)
    {
        Name = name;
        Columns = columns;
        _ordinals = columns.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The ledger of assertions; lens queries fill confidence, support and candidates.</summary>
    public static readonly Relation Assertions = new("assertions",
        new("hash", ColumnType.Text), new("subject", ColumnType.Text), new("predicate", ColumnType.Text),
        new("object", ColumnType.Object), new("object_type", ColumnType.Text), new("epoch", ColumnType.Text),
        new("agent", ColumnType.Text), new("asserted_at", ColumnType.Timestamp), new("lsn", ColumnType.Integer),
        new("confidence", ColumnType.Real), new("support", ColumnType.Real), new("candidates", ColumnType.Integer));

    /// <summary>The ledger of every vote ever cast.</summary>
    public static readonly Relation Votes = new("votes",
        new("assertion", ColumnType.Text), new("agent", ColumnType.Text), new("weight", ColumnType.Real),
        new("voted_at", ColumnType.Timestamp), new("lsn", ColumnType.Integer));

    /// <summary>One row: the write path's progress (durable, ingested and materialized watermarks, lag, journal size).</summary>
    public static readonly Relation Status = new("stemeql_status",
        new("durable_lsn", ColumnType.Integer), new("ingested_lsn", ColumnType.Integer), new("materialized_lsn", ColumnType.Integer),
        new("lag_lsns", ColumnType.Integer), new("lag_ms", ColumnType.Real), new("journal_segments", ColumnType.Integer),
        new("journal_bytes", ColumnType.Integer), new("read_only", ColumnType.Boolean), new("failure", ColumnType.Text),
        new("recovered", ColumnType.Text));

    /// <summary>One row per problem an integrity check of the store finds (none when it is sound): reading it runs the check.</summary>
    public static readonly Relation Check = new("stemeql_check",
        new("kind", ColumnType.Text), new("lsn", ColumnType.Integer), new("hash", ColumnType.Text), new("detail", ColumnType.Text));

    /// <summary>One row per agent that wrote anything: how many assertions and votes it wrote, and its first and last LSN.</summary>
    public static readonly Relation Agents = new("agents",
        new("agent", ColumnType.Text), new("assertions", ColumnType.Integer), new("votes", ColumnType.Integer),
        new("first_lsn", ColumnType.Integer), new("last_lsn", ColumnType.Integer));

    /// <summary>Every relation by name.</summary>
    public static readonly IReadOnlyDictionary<string, Relation> All =
        new[] { Assertions, Votes, Agents, Status, Check }.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>The relation's name.</summary>
    public string Name { get; }

    /// <summary>The columns in <c>SELECT *</c> order.</summary>
    public IReadOnlyList<ResultColumn> Columns { get; }

    /// <summary>True for a column of content hashes (<c>assertions.hash</c>, <c>votes.assertion</c>).</summary>
    public bool IsHashColumn(int ordinal) => (this == Assertions && ordinal == 0) || (this == Votes && ordinal == 0);

    /// <summary>The ordinal of a column, matched case-insensitively.</summary>
    public bool TryGetOrdinal(string column, out int ordinal) => _ordinals.TryGetValue(column, out ordinal);

    /// <summary>The ordinal of a column, or a <see cref="StemeException"/> naming the relation's columns.</summary>
    public int Ordinal(string column) => TryGetOrdinal(column, out int ordinal)
        ? ordinal
        : throw new StemeException(StemeErrorCode.UnknownColumn,
            $"'{column}' is not a column of {Name}: use one of {string.Join(", ", Columns.Select(c => c.Name))}.");

    /// <summary>Looks a relation up by name or throws <see cref="StemeErrorCode.UnknownRelation"/>.</summary>
    public static Relation Find(string name) => All.TryGetValue(name, out var relation)
        ? relation
        : throw new StemeException(StemeErrorCode.UnknownRelation,
            $"There is no relation '{name}': select FROM {string.Join(" or ", All.Keys)}.");
}
