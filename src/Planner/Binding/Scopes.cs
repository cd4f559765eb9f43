using StemeQL.Planner.Binding.Bound;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Binding;

/// <summary>What names mean where an expression is bound: the columns it can read, and whether aggregates may appear.</summary>
internal abstract class Scope
{
    /// <summary>Binds an expression this scope answers itself (a grouped key, an aggregate); false to bind it the usual way.</summary>
    public virtual bool TryResolve(Expression expression, out Scalar? bound)
    {
        bound = null;
        return false;
    }

    /// <summary>Binds a column reference.</summary>
    public abstract Scalar Column(ColumnExpression column);

    /// <summary>Binds an aggregate call, or refuses it here.</summary>
    public abstract Scalar Aggregate(FunctionCallExpression call);
}

/// <summary>
/// The columns of one row of a relation (or none, for a SELECT without FROM), as seen by WHERE, by
/// GROUP BY keys, by aggregate arguments and by the select list of a query that does not aggregate.
/// </summary>
internal sealed class RowScope(Relation? relation, string clause, ColumnUse? use = null) : Scope
{
    public Relation? Relation => relation;

    public override Scalar Column(ColumnExpression column)
    {
        if (relation is null)
            throw SyntaxPositions.Error(column, StemeErrorCode.UnknownColumn,
                $"'{column.Name}' is not available: a SELECT without FROM has no columns. Add FROM assertions (or votes, agents, stemeql_status), or select literals and @parameters only.");
        if (!relation.TryGetOrdinal(column.Name, out int ordinal))
            throw SyntaxPositions.Error(column, StemeErrorCode.UnknownColumn,
                $"'{column.Name}' is not a column of {relation.Name}: use one of {string.Join(", ", relation.Columns.Select(c => c.Name))}.");
        bool hash = relation.IsHashColumn(ordinal);
        use?.Read(ordinal);
        return new ColumnScalar(ordinal, relation.Columns[ordinal].Type, hash);
    }

    public override Scalar Aggregate(FunctionCallExpression call) =>
        throw SyntaxPositions.Error(call, StemeErrorCode.InvalidGrouping,
            $"The aggregate {call.Name.ToLowerInvariant()}(...) cannot be used in {clause}: aggregates belong in the select list, HAVING or ORDER BY (filter groups with HAVING, not WHERE).");
}

/// <summary>
/// Which input columns a query reads anywhere (WHERE, GROUP BY, aggregates, select list, HAVING,
/// ORDER BY), so the source can leave the others empty: a row's hash is 64 characters of hex text made
/// per row, and its subject, agent and other text are decoded per row, none of which a keyed read of
/// the object alone needs.
/// </summary>
internal sealed class ColumnUse
{
    /// <summary>A bit per column ordinal read (every bit from 63 up shares the last one).</summary>
    public ulong Columns { get; private set; }

    /// <summary>Records a read of the column at <paramref name="ordinal"/>.</summary>
    public void Read(int ordinal) => Columns |= ColumnBit(ordinal);

    /// <summary>The bit of <paramref name="ordinal"/> in <see cref="Columns"/>.</summary>
    public static ulong ColumnBit(int ordinal) => 1UL << Math.Min(ordinal, 63);
}

/// <summary>
/// After grouping, a row holds the group keys and then the aggregates. An expression equal to a GROUP BY
/// key reads that key; an aggregate call reads its slot (added on first use, so each distinct call is
/// computed once); any other column is an error, since it has no single value per group.
/// </summary>
internal sealed class GroupScope(RowScope rows, IReadOnlyList<Expression> keys, IReadOnlyList<Scalar> keyScalars) : Scope
{
    private readonly List<AggregateCall> _aggregates = [];

    /// <summary>The GROUP BY keys bound on the input row.</summary>
    public IReadOnlyList<Scalar> KeyScalars => keyScalars;

    /// <summary>The GROUP BY keys as written (ordinals and aliases replaced by their items).</summary>
    public IReadOnlyList<Expression> KeySyntax => keys;

    /// <summary>The aggregates bound so far; their slots follow the keys.</summary>
    public IReadOnlyList<AggregateCall> Aggregates => _aggregates;

    public override bool TryResolve(Expression expression, out Scalar? bound)
    {
        for (int i = 0; i < keys.Count; i++)
        {
            if (SameKey(keys[i], expression))
            {
                bound = new ColumnScalar(i, keyScalars[i].Type);
                return true;
            }
        }
        bound = null;
        return false;
    }

    public override Scalar Column(ColumnExpression column)
    {
        rows.Column(column); // an unknown column is reported as such first
        throw SyntaxPositions.Error(column, StemeErrorCode.InvalidGrouping,
            $"'{column.Name}' must appear in GROUP BY or be used in an aggregate such as count({column.Name}) or max({column.Name}).");
    }

    public override Scalar Aggregate(FunctionCallExpression call)
    {
        int index = _aggregates.FindIndex(a => a.Syntax == call);
        if (index < 0)
        {
            _aggregates.Add(AggregateCall.Bind(call, rows));
            index = _aggregates.Count - 1;
        }
        return new ColumnScalar(keys.Count + index, _aggregates[index].Type);
    }

    // Column names match case-insensitively, so GROUP BY Predicate groups what SELECT predicate reads.
    private bool SameKey(Expression key, Expression expression) =>
        key is ColumnExpression a && expression is ColumnExpression b
            ? string.Equals(a.Name, b.Name, StringComparison.OrdinalIgnoreCase)
            : key == expression;
}

/// <summary>One aggregate of a grouped query: its function, its argument bound on the input row (null for <c>count(*)</c>).</summary>
internal sealed record AggregateCall(FunctionCallExpression Syntax, string Name, Scalar? Argument, bool Distinct, ColumnType Type)
{
    /// <summary>Binds <paramref name="call"/>'s argument in <paramref name="rows"/> and checks its shape.</summary>
    public static AggregateCall Bind(FunctionCallExpression call, RowScope rows)
    {
        string name = call.Name.ToLowerInvariant();
        if (call.Star)
        {
            if (name != "count")
                throw SyntaxPositions.Error(call, StemeErrorCode.InvalidGrouping, $"Only count takes *: write {name}(column).");
            return new AggregateCall(call, name, null, false, ColumnType.Integer);
        }
        if (call.Arguments.Count != 1)
            throw SyntaxPositions.Error(call, StemeErrorCode.InvalidGrouping,
                $"{name} takes one argument, not {call.Arguments.Count}: write {name}(column){(name == "count" ? " or count(*)" : "")}.");
        // Inside an aggregate the row's columns are readable again, but another aggregate is not.
        var argument = new ExpressionBinder(new NestedAggregateScope(rows, name)).Bind(call.Arguments[0]);
        if (name is "sum" or "avg" && argument.Type is ColumnType.Text or ColumnType.Bytes or ColumnType.Boolean or ColumnType.Timestamp)
            throw SyntaxPositions.Error(call, StemeErrorCode.TypeMismatch,
                $"{name} needs numbers, but its argument is {argument.Type.ToString().ToLowerInvariant()}: use count, min or max, or a numeric column.");
        return new AggregateCall(call, name, argument, call.Distinct, Aggregates.ResultType(name, argument.Type));
    }

    private sealed class NestedAggregateScope(RowScope rows, string outer) : Scope
    {
        public override Scalar Column(ColumnExpression column) => rows.Column(column);

        public override Scalar Aggregate(FunctionCallExpression call) =>
            throw SyntaxPositions.Error(call, StemeErrorCode.InvalidGrouping,
                $"Aggregates cannot be nested: {call.Name.ToLowerInvariant()}(...) is inside {outer}(...). Aggregate once, or group in a first query.");
    }
}
