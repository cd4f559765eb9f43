using StemeQL.Core.Model;
using StemeQL.Tests.Support;
using StemeQL.TestSupport;

namespace StemeQL.Tests.EndToEnd;

/// <summary>Every awkward value, written through ASSERT with a parameter, reads back exactly by every path, on every backend.</summary>
public sealed class AwkwardValueReaderTests
{
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var backend in StorageBackend.All)
            foreach (var value in AwkwardValues.All) cases.Add(backend.Name, value.Name);
        return cases;
    }

    public static TheoryData<string, string> TextCases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var backend in StorageBackend.All)
            foreach (var value in AwkwardValues.Texts) cases.Add(backend.Name, value.Name);
        return cases;
    }

    private static List<object[]> Query(StemeConnection connection, string sql, object? parameter = null) =>
        parameter is null ? ResultRows.Values(connection, sql) : ResultRows.Values(connection, sql, ("@v", parameter));

    private static void Execute(StemeConnection connection, string sql, object parameter)
    {
        using var command = new StemeCommand(sql, connection);
        command.Parameters.AddWithValue("@v", parameter);
        command.ExecuteNonQuery();
    }

    private static void AssertReadsBack(StemeValue expected, object actual, string where)
    {
        var read = actual switch
        {
            string text => StemeValue.Text(text),
            long integer => StemeValue.Integer(integer),
            double real => StemeValue.Real(real),
            bool boolean => StemeValue.Boolean(boolean),
            byte[] bytes => StemeValue.Bytes(bytes),
            _ => throw new Xunit.Sdk.XunitException($"{where}: read a {actual.GetType()}"),
        };
        Assert.True(expected == read, $"{where}: read back a different {read.Kind}");
        if (read.Kind == ValueKind.Real)
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.AsReal), BitConverter.DoubleToInt64Bits(read.AsReal));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Object_reads_back_exactly_by_subject_by_lens_and_by_itself(string backend, string name)
    {
        var value = AwkwardValues.Named(name);
        using var database = StorageBackend.Named(backend).CreateDatabase();
        using var connection = database.Open("alice");
        Execute(connection, "ASSERT ('k', 'p', @v)", value.Parameter);
        var queries = new (string Sql, object? Parameter)[]
        {
            ("SELECT object FROM assertions WHERE subject = 'k'", null),
            ("SELECT object FROM assertions USING LENS consensus WHERE subject = 'k' AND predicate = 'p'", null),
            ("SELECT object FROM assertions USING LENS recency WHERE subject = 'k'", null),
            ("SELECT object FROM assertions USING LENS consensus WHERE predicate = 'p'", null),
            ("SELECT object FROM assertions WHERE object = @v", value.Parameter),
            ("SELECT object FROM assertions USING LENS consensus WHERE subject = 'k' AND object = @v", value.Parameter),
            ("SELECT object FROM assertions USING LENS recency WHERE object = @v", value.Parameter),
        };
        foreach (var (sql, parameter) in queries)
        {
            var row = Assert.Single(Query(connection, sql, parameter));
            AssertReadsBack(value.Expected, row[0], $"{name}: {sql}");
        }
        Assert.Empty(Query(connection, "SELECT * FROM stemeql_check"));
    }

    [Theory]
    [MemberData(nameof(TextCases))]
    public void Text_as_subject_and_predicate_is_found_by_equality_with_the_same_value(string backend, string name)
    {
        var value = AwkwardValues.Named(name);
        using var database = StorageBackend.Named(backend).CreateDatabase();
        using var connection = database.Open("alice");
        Execute(connection, "ASSERT (@v, @v, 1)", value.Parameter);
        Execute(connection, "ASSERT ('other', 'other', 2)", "unused");
        foreach (var sql in new[]
        {
            "SELECT subject, predicate FROM assertions WHERE predicate = @v",
            "SELECT subject, predicate FROM assertions WHERE subject = @v AND predicate = @v",
            "SELECT subject, predicate FROM assertions USING LENS consensus WHERE subject = @v",
            "SELECT subject, predicate FROM assertions USING LENS consensus WHERE predicate = @v",
            "SELECT subject, predicate FROM assertions USING LENS recency WHERE subject IN (@v, 'x') AND predicate = @v",
        })
        {
            var row = Assert.Single(Query(connection, sql, value.Parameter));
            AssertReadsBack(value.Expected, row[0], $"{name}: subject of {sql}");
            AssertReadsBack(value.Expected, row[1], $"{name}: predicate of {sql}");
        }
    }
}
