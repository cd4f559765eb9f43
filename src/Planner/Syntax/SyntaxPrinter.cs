using System.Globalization;
using System.Text;
using StemeQL.Core.Model;
using StemeQL.Planner.Parsing;

namespace StemeQL.Planner.Syntax;

/// <summary>
/// Prints syntax trees as canonical StemeQL: upper-case keywords, single spaces, parentheses only
/// where precedence needs them. Parsing the printed text gives back an equal tree, and printing
/// that tree gives the same text.
/// </summary>
public static class SyntaxPrinter
{
    // Binding strength, loosest first; an operand printed below its required level is parenthesised.
    private enum Level { Or = 1, And, Not, Predicate, Additive, Multiplicative, Unary, Primary }

    /// <summary>Prints one statement, without a trailing <c>;</c>.</summary>
    public static string Print(Statement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var sb = new StringBuilder();
        Write(sb, statement);
        return sb.ToString();
    }

    /// <summary>Prints statements separated by <c>;</c> and a line break.</summary>
    public static string PrintScript(IEnumerable<Statement> statements) =>
        string.Join(";\n", statements.Select(Print));

    /// <summary>Prints an expression.</summary>
    public static string Print(Expression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var sb = new StringBuilder();
        Write(sb, expression, Level.Or);
        return sb.ToString();
    }

    /// <summary>Prints a name as an identifier, quoted when it is not a plain identifier or is a reserved word.</summary>
    public static string Identifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return IsPlain(name) && !Keywords.IsReserved(name) ? name : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static void Write(StringBuilder sb, Statement statement)
    {
        switch (statement)
        {
            case AssertStatement a:
                sb.Append("ASSERT ");
                WriteList(sb, a.Tuples, (sb, t) => WriteList(sb.Append('('), [t.Subject, t.Predicate, t.Object], WriteExpression).Append(')'));
                if (a.Epoch is not null) Write(sb.Append(" IN EPOCH "), a.Epoch, Level.Or);
                if (a.Confidence is not null) Write(sb.Append(" WITH CONFIDENCE "), a.Confidence, Level.Or);
                if (a.DerivedFrom.Count > 0) WriteList(sb.Append(" DERIVED FROM ("), a.DerivedFrom, WriteExpression).Append(')');
                break;
            case VoteStatement v:
                Write(sb.Append("VOTE "), v.Assertion, Level.Or);
                if (v.Weight is not null) Write(sb.Append(" WEIGHT "), v.Weight, Level.Or);
                break;
            case ExplainStatement e:
                Write(sb.Append(e.Analyze ? "EXPLAIN ANALYZE " : "EXPLAIN "), e.Query);
                break;
            case SelectStatement s:
                WriteSelect(sb, s);
                break;
            default:
                throw new NotSupportedException($"Cannot print a {statement.GetType().Name}.");
        }
    }

    private static void WriteSelect(StringBuilder sb, SelectStatement s)
    {
        sb.Append(s.Distinct ? "SELECT DISTINCT " : "SELECT ");
        if (s.Columns is null) sb.Append('*');
        else if (s.Columns.Count == 0) throw new ArgumentException("A SELECT needs at least one column, or * (null Columns).", nameof(s));
        else WriteList(sb, s.Columns, WriteItem);
        if (s.Relation is not null) sb.Append(" FROM ").Append(Identifier(s.Relation));
        if (s.Lens is not null)
        {
            sb.Append(" USING LENS ").Append(Identifier(s.Lens.Name));
            if (s.Lens.Options.Count > 0)
            {
                WriteList(sb.Append(" ("), s.Lens.Options, (sb, o) => Write(sb.Append(Identifier(o.Name)).Append(" = "), o.Value, Level.Or)).Append(')');
            }
        }
        if (s.AsOf is not null)
        {
            sb.Append(s.AsOf.Kind == AsOfKind.Lsn ? " AS OF LSN " : " AS OF TIMESTAMP ");
            Write(sb, s.AsOf.Value, Level.Or);
        }
        if (s.Where is not null) Write(sb.Append(" WHERE "), s.Where, Level.Or);
        if (s.GroupBy.Count > 0) WriteList(sb.Append(" GROUP BY "), s.GroupBy, WriteExpression);
        if (s.Having is not null) Write(sb.Append(" HAVING "), s.Having, Level.Or);
        if (s.OrderBy.Count > 0)
        {
            WriteList(sb.Append(" ORDER BY "), s.OrderBy, (sb, o) => Write(sb, o.Expression, Level.Or).Append(o.Descending ? " DESC" : ""));
        }
        if (s.Limit is not null) Write(sb.Append(" LIMIT "), s.Limit, Level.Or);
        if (s.Offset is not null) Write(sb.Append(" OFFSET "), s.Offset, Level.Or);
    }

    private static StringBuilder WriteItem(StringBuilder sb, SelectItem item)
    {
        Write(sb, item.Expression, Level.Or);
        return item.Alias is null ? sb : sb.Append(" AS ").Append(Identifier(item.Alias));
    }

    private static StringBuilder WriteExpression(StringBuilder sb, Expression expression) => Write(sb, expression, Level.Or);

    private static StringBuilder Write(StringBuilder sb, Expression expression, Level required)
    {
        bool parenthesise = LevelOf(expression) < required;
        if (parenthesise) sb.Append('(');
        switch (expression)
        {
            case LiteralExpression l: WriteLiteral(sb, l.Value); break;
            case ParameterExpression p: sb.Append('@').Append(p.Name); break;
            case ColumnExpression c: sb.Append(Identifier(c.Name)); break;
            case LogicalExpression { Operator: LogicalOperator.Or } or:
                WriteList(sb, or.Operands, " OR ", (sb, e) => Write(sb, e, Level.And));
                break;
            case LogicalExpression and:
                WriteList(sb, and.Operands, " AND ", (sb, e) => Write(sb, e, Level.Not));
                break;
            case BinaryExpression b when IsAdditive(b.Operator):
                Write(Write(sb, b.Left, Level.Additive).Append(' ').Append(Symbol(b.Operator)).Append(' '), b.Right, Level.Multiplicative);
                break;
            case BinaryExpression b when IsMultiplicative(b.Operator):
                Write(Write(sb, b.Left, Level.Multiplicative).Append(' ').Append(Symbol(b.Operator)).Append(' '), b.Right, Level.Unary);
                break;
            case BinaryExpression b:
                Write(Write(sb, b.Left, Level.Additive).Append(' ').Append(Symbol(b.Operator)).Append(' '), b.Right, Level.Additive);
                break;
            case FunctionCallExpression f:
                sb.Append(Identifier(f.Name)).Append('(');
                if (f.Star) sb.Append('*');
                else WriteList(sb.Append(f.Distinct ? "DISTINCT " : ""), f.Arguments, WriteExpression);
                sb.Append(')');
                break;
            case CaseExpression c:
                sb.Append("CASE");
                if (c.Operand is not null) Write(sb.Append(' '), c.Operand, Level.Or);
                foreach (var when in c.Whens)
                {
                    Write(Write(sb.Append(" WHEN "), when.When, Level.Or).Append(" THEN "), when.Then, Level.Or);
                }
                if (c.Else is not null) Write(sb.Append(" ELSE "), c.Else, Level.Or);
                sb.Append(" END");
                break;
            case UnaryExpression { Operator: UnaryOperator.Not } u:
                Write(sb.Append("NOT "), u.Operand, Level.Not);
                break;
            case UnaryExpression u:
                // "-(7)" and "-(-x)": a bare "-7" would parse as a literal and "--" starts a comment.
                if (u.Operand is ColumnExpression or ParameterExpression) Write(sb.Append('-'), u.Operand, Level.Unary);
                else Write(sb.Append("-("), u.Operand, Level.Or).Append(')');
                break;
            case InExpression i:
                Write(sb, i.Operand, Level.Additive).Append(i.Negated ? " NOT IN (" : " IN (");
                WriteList(sb, i.Values, WriteExpression).Append(')');
                break;
            case LikeExpression l:
                Write(Write(sb, l.Operand, Level.Additive).Append(l.Negated ? " NOT LIKE " : " LIKE "), l.Pattern, Level.Additive);
                break;
            case IsNullExpression n:
                Write(sb, n.Operand, Level.Additive).Append(n.Negated ? " IS NOT NULL" : " IS NULL");
                break;
            default:
                throw new NotSupportedException($"Cannot print a {expression.GetType().Name}.");
        }
        if (parenthesise) sb.Append(')');
        return sb;
    }

    private static Level LevelOf(Expression expression) => expression switch
    {
        LogicalExpression { Operator: LogicalOperator.Or } => Level.Or,
        LogicalExpression => Level.And,
        UnaryExpression { Operator: UnaryOperator.Not } => Level.Not,
        BinaryExpression b when IsAdditive(b.Operator) => Level.Additive,
        BinaryExpression b when IsMultiplicative(b.Operator) => Level.Multiplicative,
        BinaryExpression or InExpression or LikeExpression or IsNullExpression => Level.Predicate,
        UnaryExpression => Level.Unary,
        _ => Level.Primary,
    };

    private static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Equal => "=",
        BinaryOperator.NotEqual => "<>",
        BinaryOperator.LessThan => "<",
        BinaryOperator.LessThanOrEqual => "<=",
        BinaryOperator.GreaterThan => ">",
        BinaryOperator.GreaterThanOrEqual => ">=",
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Modulo => "%",
        BinaryOperator.Concat => "||",
        _ => throw new NotSupportedException($"Operator {op} has no symbol."),
    };

    private static bool IsAdditive(BinaryOperator op) => op is BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Concat;

    private static bool IsMultiplicative(BinaryOperator op) => op is BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo;

    private static void WriteLiteral(StringBuilder sb, StemeValue value)
    {
        switch (value.Kind)
        {
            case ValueKind.Null: sb.Append("NULL"); break;
            case ValueKind.Text: sb.Append(Quote(value.AsText)); break;
            case ValueKind.Integer: sb.Append(value.AsInteger.ToString(CultureInfo.InvariantCulture)); break;
            case ValueKind.Real: sb.Append(Real(value.AsReal)); break;
            case ValueKind.Boolean: sb.Append(value.AsBoolean ? "TRUE" : "FALSE"); break;
            case ValueKind.Bytes: sb.Append("X'").Append(Convert.ToHexStringLower(value.AsBytes)).Append('\''); break;
            // StemeQL has no timestamp literal; AS OF TIMESTAMP takes the ISO-8601 text.
            case ValueKind.Timestamp: sb.Append(Quote(value.ToString())); break;
            default: throw new NotSupportedException($"Cannot print a {value.Kind} literal.");
        }
    }

    // Always with '.', 'e' or 'E' so that it parses back as a real, not an integer.
    private static string Real(double value)
    {
        if (double.IsNaN(value)) throw new NotSupportedException("NaN has no StemeQL literal.");
        if (double.IsInfinity(value)) return value > 0 ? "1e999" : "-1e999";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny('.', 'E', 'e') >= 0 ? text : text + ".0";
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static bool IsPlain(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.AsSpan(1).ContainsAnyExcept(PlainTail) == false;

    private static readonly System.Buffers.SearchValues<char> PlainTail =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    private static StringBuilder WriteList<T>(StringBuilder sb, IEnumerable<T> items, Func<StringBuilder, T, StringBuilder> write) =>
        WriteList(sb, items, ", ", write);

    private static StringBuilder WriteList<T>(StringBuilder sb, IEnumerable<T> items, string separator, Func<StringBuilder, T, StringBuilder> write)
    {
        bool first = true;
        foreach (var item in items)
        {
            if (!first) sb.Append(separator);
            write(sb, item);
            first = false;
        }
        return sb;
    }
}
