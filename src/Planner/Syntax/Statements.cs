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
/// <c>SELECT columns FROM relation [USING LENS l] [AS OF ...] [WHERE e] [ORDER BY ...] [LIMIT n [OFFSET m]]</c>.
/// <see cref="Columns"/> is null for <c>SELECT *</c>.
/// </summary>
public sealed record SelectStatement(
    SyntaxList<SelectItem>? Columns,
    string Relation,
    LensClause? Lens,
    AsOfClause? AsOf,
    Expression? Where,
    SyntaxList<OrderItem> OrderBy,
    Expression? Limit,
    Expression? Offset) : Statement;

/// <summary><c>EXPLAIN SELECT ...</c>.</summary>
public sealed record ExplainStatement(SelectStatement Query) : Statement;

/// <summary>A selected column, optionally renamed with <c>AS alias</c>.</summary>
public sealed record SelectItem(string Column, string? Alias = null);

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
