using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Planner.Binding.Bound;
using StemeQL.Planner.Syntax;

namespace StemeQL.Planner.Binding;

/// <summary>
/// Binds a SELECT: the relation and lens, WHERE on the input row, then either the plain select list or
/// grouping (keys, aggregates, HAVING) with the select list on the group row, then ORDER BY by alias,
/// ordinal or expression. Checks the grouping rules as SQL users expect them.
/// </summary>
internal static class SelectBinder
{
    public static BoundSelect Bind(SelectStatement select)
    {
        var relation = select.Relation is null ? null : Relation.Find(select.Relation);
        if (relation is null && (select.Lens is not null || select.AsOf is not null))
            throw new StemeException(StemeErrorCode.NotSupported, "USING LENS and AS OF need a relation: add FROM assertions.");
        var lens = select.Lens is null ? null : LensResolver.Resolve(select.Lens, relation!);

        // WHERE's columns are counted apart: a seek that applies the whole filter never evaluates them.
        var filterUse = new ColumnUse();
        var use = new ColumnUse();
        var rows = new RowScope(relation, "WHERE", filterUse);
        var filter = select.Where is null ? null : new ExpressionBinder(rows).Condition(select.Where, "WHERE");

        var items = ExpandItems(select, relation);
        bool aggregates = select.GroupBy.Count > 0 || HasAggregate(items.Select(i => i.Expression))
            || HasAggregate(select.OrderBy.Select(o => o.Expression)) || (select.Having is not null && HasAggregate([select.Having]));
        if (select.Having is not null && !aggregates)
            throw SyntaxPositions.Error(select.Having, StemeErrorCode.InvalidGrouping,
                "HAVING filters groups, but this query does not group: add GROUP BY, or move the condition to WHERE.");
        if (aggregates && select.Columns is null)
            throw SyntaxPositions.Error(FirstGroupingTerm(select), StemeErrorCode.InvalidGrouping,
                "SELECT * cannot be used with GROUP BY or aggregates: list the grouped columns and aggregates, for example SELECT predicate, count(*).");

        Scope projectScope = new RowScope(relation, "the select list", use);
        Grouping? grouping = null;
        GroupScope? groups = null;
        if (aggregates)
        {
            var keySyntax = select.GroupBy.Select(k => GroupKey(k, items)).ToArray();
            var keyBinder = new ExpressionBinder(new RowScope(relation, "GROUP BY", use));
            var keys = keySyntax.Select(keyBinder.Bind).ToArray();
            // Aggregate arguments read their columns on every input row, whatever the seek does with WHERE.
            groups = new GroupScope(new RowScope(relation, "WHERE", use), keySyntax, keys);
            projectScope = groups;
        }

        var binder = new ExpressionBinder(projectScope);
        var projection = items.Select(i => binder.Bind(i.Expression)).ToArray();
        var columns = items.Select((item, i) => new ResultColumn(item.Name, projection[i].Type)).ToArray();
        var having = select.Having is null ? null : binder.Condition(WithAliases(select.Having, items, relation), "HAVING");
        var order = select.OrderBy.Select(o => SortKeyFor(o, items, projection, binder)).ToArray();
        if (groups is not null)
            grouping = new Grouping(groups.KeyScalars, groups.Aggregates, groups.KeySyntax);

        return new BoundSelect(relation, lens, select.AsOf, select.Where, filter, grouping, having,
            projection, columns, order, select.Distinct, select.Limit, select.Offset) { ReadColumns = use.Columns, FilterColumns = filterUse.Columns };
    }

    private sealed record Item(Expression Expression, string Name, string? Alias);

    private static Item[] ExpandItems(SelectStatement select, Relation? relation)
    {
        if (select.Columns is not null)
        {
            return [.. select.Columns.Select(c => new Item(c.Expression, c.Alias ?? NameOf(c.Expression), c.Alias))];
        }
        if (relation is null)
            throw new StemeException(StemeErrorCode.UnknownColumn, "SELECT * needs a relation: add FROM assertions (or votes, agents, stemeql_status).");
        return [.. relation.Columns.Select(c => new Item(new ColumnExpression(c.Name), c.Name, null))];
    }

    private static string NameOf(Expression expression) =>
        expression is ColumnExpression column ? column.Name : SyntaxPrinter.Print(expression);

    // A plain column, literal or parameter (most select items) is answered without starting a tree walk.
    private static bool HasAggregate(IEnumerable<Expression> expressions) => expressions.Any(e =>
        e is not (ColumnExpression or LiteralExpression or ParameterExpression)
        && ExpressionWalker.Nodes(e).Any(n => n is FunctionCallExpression call && Aggregates.IsAggregate(call.Name)));

    // What makes a SELECT * query group, for the error's position: its first GROUP BY key, else its first aggregate.
    private static Expression FirstGroupingTerm(SelectStatement select) => select.GroupBy.Count > 0
        ? select.GroupBy[0]
        : select.OrderBy.Select(o => o.Expression).Concat(select.Having is null ? [] : [select.Having])
            .SelectMany(ExpressionWalker.Nodes).First(n => n is FunctionCallExpression call && Aggregates.IsAggregate(call.Name));

    // GROUP BY 2 and GROUP BY alias name a select item, as in SQLite and PostgreSQL.
    private static Expression GroupKey(Expression key, Item[] items)
    {
        if (key is LiteralExpression { Value.Kind: ValueKind.Integer } ordinal)
            return items[Ordinal(ordinal.Value.AsInteger, items.Length, "GROUP BY", key)].Expression;
        if (key is ColumnExpression column && items.FirstOrDefault(i => Aliased(i, column.Name)) is { } aliased)
            return aliased.Expression;
        return key;
    }

    private static SortKey SortKeyFor(OrderItem order, Item[] items, Scalar[] projection, ExpressionBinder binder)
    {
        string text = SyntaxPrinter.Print(order.Expression) + (order.Descending ? " DESC" : "");
        if (order.Expression is LiteralExpression { Value.Kind: ValueKind.Integer } ordinal)
            return new SortKey(projection[Ordinal(ordinal.Value.AsInteger, items.Length, "ORDER BY", order.Expression)], order.Descending, text);
        if (order.Expression is ColumnExpression column)
        {
            int index = Array.FindIndex(items, i => Aliased(i, column.Name));
            if (index >= 0) return new SortKey(projection[index], order.Descending, text);
        }
        return new SortKey(binder.Bind(order.Expression), order.Descending, text);
    }

    // HAVING may name a select-list alias (as in SQLite and MySQL) where no column of the relation has that name.
    private static Expression WithAliases(Expression expression, Item[] items, Relation? relation) => expression switch
    {
        ColumnExpression column when (relation is null || !relation.TryGetOrdinal(column.Name, out _))
            && items.FirstOrDefault(i => Aliased(i, column.Name)) is { } item => item.Expression,
        LogicalExpression logical => logical with { Operands = new(logical.Operands.Select(o => WithAliases(o, items, relation))) },
        BinaryExpression binary => binary with { Left = WithAliases(binary.Left, items, relation), Right = WithAliases(binary.Right, items, relation) },
        UnaryExpression unary => unary with { Operand = WithAliases(unary.Operand, items, relation) },
        InExpression @in => @in with { Operand = WithAliases(@in.Operand, items, relation), Values = new(@in.Values.Select(v => WithAliases(v, items, relation))) },
        IsNullExpression isNull => isNull with { Operand = WithAliases(isNull.Operand, items, relation) },
        _ => expression,
    };

    private static bool Aliased(Item item, string name) => item.Alias is not null && string.Equals(item.Alias, name, StringComparison.OrdinalIgnoreCase);

    private static int Ordinal(long ordinal, int count, string clause, Expression at) => ordinal >= 1 && ordinal <= count
        ? (int)ordinal - 1
        : throw SyntaxPositions.Error(at, StemeErrorCode.UnknownColumn,
            $"{clause} {ordinal} names no select item: the select list has {count} item{(count == 1 ? "" : "s")}, numbered from 1.");
}
