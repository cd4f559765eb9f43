namespace StemeQL.Planner.Syntax;

/// <summary>A StemeQL statement: the immutable syntax tree that the parser and the LINQ provider both build.</summary>
public abstract record Statement;

/// <summary><c>ASSERT (s, p, o), ... [IN EPOCH e] [WITH CONFIDENCE c] [DERIVED FROM (h, ...)]</c>.</summary>
public sealed record AssertStatement(
    SyntaxList<AssertTuple> Tuples,
    Expression? Epoch,
    Expression? Confidence,
    SyntaxList<Expression> DerivedFrom) : Statement;

/// <summary>One (subject, predicate, object) tuple of an ASSERT.</summary>
public sealed record AssertTuple(Expression Subject, Expression Predicate, Expression Object);

/// <summary><c>VOTE hash [WEIGHT w]</c>.</summary>
public sealed record VoteStatement(Expression Assertion, Expression? Weight) : Statement;

/// <summary>
/// <c>SELECT [DISTINCT] items [FROM relation [USING LENS l] [AS OF ...]] [WHERE e] [GROUP BY ...]
/// [HAVING h] [ORDER BY ...] [LIMIT n [OFFSET m]]</c>. <see cref="Columns"/> is null for <c>SELECT *</c>;
/// <see cref="Relation"/> is null for a SELECT without FROM (one row, no columns to read).
/// </summary>
public sealed record SelectStatement(
    SyntaxList<SelectItem>? Columns,
    string? Relation,
    LensClause? Lens,
    AsOfClause? AsOf,
    Expression? Where,
    SyntaxList<OrderItem> OrderBy,
    Expression? Limit,
    Expression? Offset) : Statement
{
    /// <summary><c>SELECT DISTINCT</c>: duplicate result rows are returned once.</summary>
    public bool Distinct { get; init; }

    /// <summary>The <c>GROUP BY</c> keys (empty when there are none).</summary>
    public SyntaxList<Expression> GroupBy { get; init; } = SyntaxList<Expression>.Empty;

    /// <summary>The <c>HAVING</c> condition, or null.</summary>
    public Expression? Having { get; init; }
}

/// <summary><c>EXPLAIN [ANALYZE] SELECT ...</c>; ANALYZE runs the query and adds actual rows and time per stage.</summary>
public sealed record ExplainStatement(SelectStatement Query, bool Analyze = false) : Statement;

/// <summary>A select item: an expression, optionally named with <c>AS alias</c>.</summary>
public sealed record SelectItem(Expression Expression, string? Alias = null)
{
    /// <summary>A plain column, optionally renamed.</summary>
    public SelectItem(string column, string? alias = null) : this(new ColumnExpression(column), alias) { }
}

/// <summary><c>USING LENS name [(option = value, ...)]</c>.</summary>
public sealed record LensClause(string Name, SyntaxList<LensOption> Options);

/// <summary>One <c>option = value</c> of a lens clause.</summary>
public sealed record LensOption(string Name, Expression Value);

/// <summary>What an <c>AS OF</c> clause names.</summary>
public enum AsOfKind
{
    /// <summary><c>AS OF LSN n</c>.</summary>
    Lsn,
    /// <summary><c>AS OF TIMESTAMP 'iso-8601'</c>.</summary>
    Timestamp,
}

/// <summary><c>AS OF LSN n</c> or <c>AS OF TIMESTAMP t</c>.</summary>
public sealed record AsOfClause(AsOfKind Kind, Expression Value);

/// <summary>One <c>ORDER BY</c> key.</summary>
public sealed record OrderItem(Expression Expression, bool Descending);
