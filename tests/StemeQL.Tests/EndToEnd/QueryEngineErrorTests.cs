using System.Text;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.EndToEnd;

/// <summary>Bad queries fail with a stable code, a position and advice; huge ones fail cleanly or run, never crash.</summary>
public abstract class QueryEngineErrorTests : IDisposable
{
    private readonly TestDatabase _database;
    private long _token; // the newest write, which reads on other connections wait for

    private protected QueryEngineErrorTests(StorageBackend backend) => _database = backend.CreateDatabase();

    private StemeException Fails(string sql)
    {
        using var connection = _database.Open();
        using var command = new StemeCommand(sql, connection);
        return Assert.Throws<StemeException>(() =>
        {
            using var reader = command.ExecuteReader();
            while (reader.Read()) { }
        });
    }

    private long Count(string sql)
    {
        using var connection = _database.Open();
        connection.WaitForLsn(_token);
        using var command = new StemeCommand(sql, connection);
        return Convert.ToInt64(command.ExecuteScalar());
    }

    [Fact]
    public void Unknown_column_names_it_with_its_position_and_the_valid_names()
    {
        var error = Fails("SELECT subject,\n  colour FROM assertions");
        Assert.Equal(StemeErrorCode.UnknownColumn, error.ErrorCode);
        Assert.Equal((2, 2), (error.Line, error.Column));
        Assert.Contains("'colour' is not a column of assertions", error.Message);
        Assert.Contains("predicate", error.Message);
    }

    [Fact]
    public void Unknown_function_lists_the_functions_there_are()
    {
        var error = Fails("SELECT median(object) FROM assertions");
        Assert.Equal(StemeErrorCode.UnknownFunction, error.ErrorCode);
        Assert.Equal((1, 7), (error.Line, error.Column));
        Assert.Contains("count", error.Message);
        Assert.Contains("lower", error.Message);
    }

    [Fact]
    public void Ungrouped_column_says_to_group_or_aggregate_it()
    {
        var error = Fails("SELECT subject, count(*) FROM assertions GROUP BY predicate");
        Assert.Equal(StemeErrorCode.InvalidGrouping, error.ErrorCode);
        Assert.Contains("must appear in GROUP BY", error.Message);
    }

    [Fact]
    public void Division_by_zero_and_overflow_are_errors_not_values()
    {
        Assert.Equal(StemeErrorCode.DivisionByZero, Fails("SELECT 5 % 0").ErrorCode);
        Assert.Equal(StemeErrorCode.NumericOverflow, Fails("SELECT 9223372036854775807 + 1").ErrorCode);
        Assert.Equal(StemeErrorCode.TypeMismatch, Fails("SELECT 'a' + 1").ErrorCode);
    }

    // Each error points at the term at fault (line, column; an arithmetic error at its operator), also when it is
    // found while rows are evaluated.
    [Theory]
    [InlineData("SELECT subject FROM assertions\nHAVING subject = 's1'", StemeErrorCode.InvalidGrouping, 2, 7)]
    [InlineData("SELECT * FROM assertions GROUP BY predicate", StemeErrorCode.InvalidGrouping, 1, 34)]
    [InlineData("SELECT * FROM assertions ORDER BY count(*)", StemeErrorCode.InvalidGrouping, 1, 34)]
    [InlineData("SELECT 1 / 0", StemeErrorCode.DivisionByZero, 1, 9)]
    [InlineData("SELECT 2,\n  7 % (1 - 1)", StemeErrorCode.DivisionByZero, 2, 4)]
    [InlineData("SELECT subject FROM assertions WHERE subject", StemeErrorCode.TypeMismatch, 1, 37)]
    [InlineData("SELECT subject FROM assertions WHERE lsn > 0 AND NOT subject", StemeErrorCode.TypeMismatch, 1, 53)]
    [InlineData("SELECT subject FROM assertions ORDER BY 5", StemeErrorCode.UnknownColumn, 1, 40)]
    [InlineData("SELECT subject FROM assertions GROUP BY 0", StemeErrorCode.UnknownColumn, 1, 40)]
    [InlineData("SELECT 9223372036854775807 + 1", StemeErrorCode.NumericOverflow, 1, 27)]
    public void Errors_carry_the_position_of_the_term_at_fault(string sql, StemeErrorCode code, int line, int column)
    {
        var error = Fails(sql);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.StartsWith($"line {line}:{column} ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CASE WHEN TRUE THEN ", " END")]
    [InlineData("CASE WHEN FALSE THEN 0 ELSE ", " END")]
    [InlineData("CASE ", " WHEN 1 THEN 1 END")]
    public async Task Deeply_nested_CASE_is_a_syntax_error_on_a_thread_pool_thread(string open, string close)
    {
        string sql = "SELECT " + string.Concat(Enumerable.Repeat(open, 10_000)) + "1" + string.Concat(Enumerable.Repeat(close, 10_000));
        var error = await Task.Run(() => Fails(sql));
        Assert.Equal(StemeErrorCode.SyntaxError, error.ErrorCode);
        Assert.Contains("nested too deeply", error.Message);
        Assert.True(error.Line > 0);
    }

    [Fact]
    public void Select_without_from_returns_parameters_and_nulls()
    {
        using var connection = _database.Open();
        using var command = new StemeCommand("SELECT @p, NULL, 1", connection);
        command.Parameters.AddWithValue("p", "probe");
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("probe", reader.GetValue(0));
        Assert.True(reader.IsDBNull(1));
        Assert.Equal(1L, reader.GetInt64(2));
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task A_where_of_ten_thousand_terms_runs_on_a_thread_pool_thread()
    {
        using (var connection = _database.Open())
        using (var command = new StemeCommand("ASSERT ('s1', 'p', 1), ('s2', 'p', 2)", connection))
        {
            command.ExecuteNonQuery();
            _token = connection.LastWriteLsn;
        }
        string or = string.Join(" OR ", Enumerable.Range(0, 10_000).Select(i => $"subject = 's{i}'"));
        string and = string.Join(" AND ", Enumerable.Range(0, 10_000).Select(i => $"lsn <> {-i - 1}"));
        Assert.Equal(2, await Task.Run(() => Count($"SELECT count(*) FROM assertions WHERE {or}")));
        Assert.Equal(2, await Task.Run(() => Count($"SELECT count(*) FROM assertions WHERE {and}")));
    }

    [Fact]
    public async Task An_expression_of_a_hundred_thousand_terms_is_refused_with_advice()
    {
        string or = string.Join(" OR ", Enumerable.Range(0, 100_000).Select(i => $"subject = 's{i}'"));
        var error = await Task.Run(() => Fails($"SELECT count(*) FROM assertions WHERE {or}"));
        Assert.Equal(StemeErrorCode.QueryTooComplex, error.ErrorCode);
        Assert.Equal((1, 38), (error.Line, error.Column));
        Assert.Contains("IN (...)", error.Message);
    }

    [Fact]
    public async Task A_long_arithmetic_chain_is_refused_rather_than_overflowing_the_stack()
    {
        var sql = new StringBuilder("SELECT 1");
        for (int i = 0; i < 5_000; i++) sql.Append(" + 1");
        var error = await Task.Run(() => Fails(sql.ToString()));
        Assert.Equal(StemeErrorCode.QueryTooComplex, error.ErrorCode);
        Assert.True(error.Line > 0);
    }

    public void Dispose() => _database.Dispose();
}

/// <summary>The suite on the embedded store.</summary>
public sealed class EmbeddedQueryEngineErrorTests() : QueryEngineErrorTests(StorageBackend.Named("embedded"));

/// <summary>The suite on PostgreSQL.</summary>
public sealed class PostgresQueryEngineErrorTests() : QueryEngineErrorTests(StorageBackend.Named("postgres"));
