using StemeQL.Planner.Parsing;
using StemeQL.Planner.Syntax;
using static StemeQL.Planner.Tests.Parsing.Trees;

namespace StemeQL.Planner.Tests.Parsing;

// Each thread keeps one lexer and parser between commands (ThreadParser): nothing of one command may
// show in the next, whether the first succeeded, failed or was cancelled.
public class ParserReuseTests
{
    private const string Query = "SELECT subject FROM assertions WHERE subject = 'a' AND object > 1";

    private static readonly Expression QueryWhere = And(Eq(Col("subject"), Text("a")), new BinaryExpression(BinaryOperator.GreaterThan, Col("object"), Int(1)));

    [Fact]
    public void Parse_gives_the_same_error_when_a_bad_command_follows_a_good_one()
    {
        var first = Assert.Throws<StemeException>(() => StemeParser.Parse("SELECT * FROM t WHERE a = = 1"));
        StemeParser.Parse(Query);
        var second = Assert.Throws<StemeException>(() => StemeParser.Parse("SELECT * FROM t WHERE a = = 1"));

        Assert.Equal(first.Message, second.Message);
        Assert.Equal(first.ExpectedTokens, second.ExpectedTokens);
    }

    [Fact]
    public void Parse_reads_a_command_fully_after_a_syntax_error_on_the_same_thread()
    {
        Assert.Throws<StemeException>(() => StemeParser.Parse("SELECT a FROM"));

        Assert.Equal(QueryWhere, Select(Query).Where);
    }

    [Fact]
    public void Parse_does_not_stay_cancelled_after_a_cancelled_parse_on_the_same_thread()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => StemeParser.Parse(Query, cancelled.Token));

        Assert.Equal(QueryWhere, Select(Query).Where);
    }

    [Fact]
    public void Parse_gives_equal_trees_on_many_threads_at_once()
    {
        var wheres = new Expression?[64];
        Parallel.For(0, wheres.Length, i =>
        {
            for (int n = 0; n < 50; n++) wheres[i] = Select(n % 2 == 0 ? Query : Query + " ORDER BY subject").Where;
        });

        Assert.All(wheres, where => Assert.Equal(QueryWhere, where));
    }

    [Fact]
    public void Parse_reads_a_short_command_after_a_long_one_on_the_same_thread()
    {
        string longWhere = string.Join(" OR ", Enumerable.Range(0, 5_000).Select(i => $"subject = 's{i}'"));
        Assert.Equal(5_000, Assert.IsType<LogicalExpression>(Where(longWhere)).Operands.Count);

        Assert.Equal(QueryWhere, Select(Query).Where);
    }
}
