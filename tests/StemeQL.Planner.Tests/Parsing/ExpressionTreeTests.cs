using StemeQL.Core.Model;
using StemeQL.Planner.Syntax;
using static StemeQL.Planner.Tests.Parsing.Trees;

namespace StemeQL.Planner.Tests.Parsing;

public class ExpressionTreeTests
{
    [Fact]
    public void Parse_binds_AND_tighter_than_OR()
    {
        Assert.Equal(Or(Col("a"), And(Col("b"), Col("c"))), Where("a OR b AND c"));
        Assert.Equal(Or(And(Col("a"), Col("b")), Col("c")), Where("a AND b OR c"));
    }

    [Fact]
    public void Parse_binds_comparison_tighter_than_NOT()
    {
        Assert.Equal(Not(Eq(Col("x"), Int(1))), Where("NOT x = 1"));
    }

    [Fact]
    public void Parse_binds_NOT_tighter_than_AND()
    {
        Assert.Equal(And(Not(Col("a")), Col("b")), Where("NOT a AND b"));
    }

    [Fact]
    public void Parse_associates_OR_and_AND_to_the_left()
    {
        Assert.Equal(Or(Or(Col("a"), Col("b")), Col("c")), Where("a OR b OR c"));
        Assert.Equal(And(And(Col("a"), Col("b")), Col("c")), Where("a AND b AND c"));
    }

    [Fact]
    public void Parse_follows_parentheses_when_they_override_precedence()
    {
        Assert.Equal(And(Or(Col("a"), Col("b")), Col("c")), Where("(a OR b) AND c"));
        Assert.Equal(Not(Not(Col("a"))), Where("NOT NOT a"));
    }

    [Theory]
    [InlineData("=", BinaryOperator.Equal)]
    [InlineData("<>", BinaryOperator.NotEqual)]
    [InlineData("!=", BinaryOperator.NotEqual)]
    [InlineData("<", BinaryOperator.LessThan)]
    [InlineData("<=", BinaryOperator.LessThanOrEqual)]
    [InlineData(">", BinaryOperator.GreaterThan)]
    [InlineData(">=", BinaryOperator.GreaterThanOrEqual)]
    public void Parse_builds_comparison_when_operator_is_given(string symbol, BinaryOperator op)
    {
        Assert.Equal(new BinaryExpression(op, Col("object"), Int(3)), Where($"object {symbol} 3"));
    }

    [Fact]
    public void Parse_builds_IN_and_NOT_IN_when_list_is_given()
    {
        Assert.Equal(new InExpression(Col("s"), List<Expression>(Text("c1"), Param("p")), false), Where("s IN ('c1', @p)"));
        Assert.Equal(new InExpression(Col("s"), List<Expression>(Int(1)), true), Where("s NOT IN (1)"));
        Assert.Equal(Not(new InExpression(Col("s"), List<Expression>(Int(1)), false)), Where("NOT s IN (1)"));
    }

    [Fact]
    public void Parse_builds_LIKE_and_IS_NULL_when_given()
    {
        Assert.Equal(new LikeExpression(Col("s"), Text("ber%"), false), Where("s LIKE 'ber%'"));
        Assert.Equal(new LikeExpression(Col("s"), Param("p"), true), Where("s NOT LIKE @p"));
        Assert.Equal(new IsNullExpression(Col("c"), false), Where("c IS NULL"));
        Assert.Equal(new IsNullExpression(Col("c"), true), Where("c IS NOT NULL"));
    }

    [Fact]
    public void Parse_folds_minus_into_literal_when_operand_is_a_number()
    {
        Assert.Equal(Eq(Col("x"), Int(-7)), Where("x = -7"));
        Assert.Equal(Eq(Col("x"), Real(-0.5)), Where("x = - 0.5"));
        Assert.Equal(Eq(Col("x"), Int(long.MinValue)), Where("x = -9223372036854775808"));
    }

    [Fact]
    public void Parse_builds_negation_when_operand_is_not_a_bare_number()
    {
        Assert.Equal(Eq(Negate(Col("x")), Int(1)), Where("-x = 1"));
        Assert.Equal(Eq(Negate(Int(7)), Int(1)), Where("-(7) = 1"));
        Assert.Equal(Eq(Negate(Int(-7)), Int(1)), Where("- -7 = 1"));
        Assert.Equal(Eq(Negate(Param("p")), Int(1)), Where("-@p = 1"));
    }

    [Theory]
    [InlineData("42", ValueKind.Integer, 42L)]
    [InlineData("9223372036854775807", ValueKind.Integer, long.MaxValue)]
    [InlineData("9223372036854775808", ValueKind.Real, 9223372036854775808.0)]
    [InlineData("3.14", ValueKind.Real, 3.14)]
    [InlineData("1e-3", ValueKind.Real, 0.001)]
    [InlineData("1E+20", ValueKind.Real, 1e20)]
    [InlineData("2.", ValueKind.Real, 2.0)]
    [InlineData(".5", ValueKind.Real, 0.5)]
    public void Parse_reads_number_literal_as_integer_or_real(string text, ValueKind kind, object expected)
    {
        var value = Assert.IsType<LiteralExpression>(((BinaryExpression)Where("x = " + text)).Right).Value;

        Assert.Equal(kind, value.Kind);
        Assert.Equal(expected, value.ToClr());
    }

    [Fact]
    public void Parse_reads_other_literals_when_written_in_any_case()
    {
        Assert.Equal(Text("it's"), ((BinaryExpression)Where("x = 'it''s'")).Right);
        Assert.Equal(Text(""), ((BinaryExpression)Where("x = ''")).Right);
        Assert.Equal(Bool(true), ((BinaryExpression)Where("x = true")).Right);
        Assert.Equal(Bool(false), ((BinaryExpression)Where("x = False")).Right);
        Assert.Equal(Null, ((BinaryExpression)Where("x = null")).Right);
        Assert.Equal(new LiteralExpression(StemeValue.Bytes([0x0a, 0xff])), ((BinaryExpression)Where("x = x'0aff'")).Right);
        Assert.Equal(new LiteralExpression(StemeValue.Bytes([])), ((BinaryExpression)Where("x = X''")).Right);
    }

    [Fact]
    public void Parse_keeps_line_breaks_when_they_are_inside_a_string()
    {
        Assert.Equal(Text("a\nb -- not a comment"), ((BinaryExpression)Where("x = 'a\nb -- not a comment'")).Right);
    }
    private static BinaryExpression Bin(BinaryOperator op, Expression left, Expression right) => new(op, left, right);

    [Fact]
    public void Parse_binds_multiplicative_operators_tighter_than_additive_ones_in_one_chain()
    {
        var expected = Bin(BinaryOperator.Concat,
            Bin(BinaryOperator.Subtract,
                Bin(BinaryOperator.Add, Col("a"), Bin(BinaryOperator.Multiply, Col("b"), Col("c"))),
                Bin(BinaryOperator.Modulo, Bin(BinaryOperator.Divide, Col("d"), Col("e")), Col("f"))),
            Col("g"));

        Assert.Equal(Eq(expected, Int(1)), Where("a + b * c - d / e % f || g = 1"));
    }

    [Fact]
    public void Parse_associates_arithmetic_to_the_left()
    {
        Assert.Equal(Eq(Bin(BinaryOperator.Subtract, Bin(BinaryOperator.Subtract, Col("a"), Col("b")), Col("c")), Int(0)), Where("a - b - c = 0"));
        Assert.Equal(Eq(Bin(BinaryOperator.Divide, Bin(BinaryOperator.Divide, Col("a"), Col("b")), Col("c")), Int(0)), Where("a / b / c = 0"));
    }

    [Fact]
    public void Parse_applies_each_minus_sign_to_the_operand_after_it()
    {
        Assert.Equal(Eq(Bin(BinaryOperator.Multiply, Negate(Col("a")), Negate(Negate(Col("b")))), Int(1)), Where("-a * - -b = 1"));
        Assert.Equal(Eq(Bin(BinaryOperator.Subtract, Col("a"), Int(-1)), Int(1)), Where("a - -1 = 1"));
    }

    [Fact]
    public void Parse_applies_leading_NOTs_to_the_whole_condition_only()
    {
        Assert.Equal(Or(Not(Not(new IsNullExpression(Col("a"), false))), Not(Col("b"))), Where("NOT NOT a IS NULL OR NOT b"));
    }

    [Fact]
    public void Parse_records_where_each_operator_of_a_chain_is()
    {
        var sum = Assert.IsType<BinaryExpression>(((BinaryExpression)Where("a + b * c = 1")).Left);

        Assert.Equal((1, 24), SyntaxPositions.Of(sum));
        Assert.Equal((1, 28), SyntaxPositions.Of(sum.Right));
        Assert.Equal((1, 22), SyntaxPositions.Of(Where("a + b * c = 1")));
    }
}
