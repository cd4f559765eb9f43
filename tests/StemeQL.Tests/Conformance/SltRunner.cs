using System.Globalization;
using StemeQL.Tests.Support;

namespace StemeQL.Tests.Conformance;

/// <summary>
/// Runs sqllogictest records against one database, with one connection per agent. After every
/// expected error it also checks that the failing statement wrote nothing.
/// </summary>
public sealed class SltRunner(TestDatabase database) : IDisposable
{
    private readonly Dictionary<string, StemeConnection> _connections = [];
    private readonly Dictionary<string, string> _captures = [];
    private string _agent = "anonymous";

    /// <summary>Runs every record; throws with the file line on the first mismatch.</summary>
    public void Run(IEnumerable<SltRecord> records, string file)
    {
        foreach (var record in records)
        {
            try
            {
                Run(record);
            }
            catch (Exception e) when (e is not SltFailure)
            {
                throw new SltFailure($"{file}:{record.Line}: {e.GetType().Name}: {e.Message}", e);
            }
        }
    }

    private void Run(SltRecord record)
    {
        switch (record)
        {
            case AgentRecord agent:
                _agent = agent.Agent;
                break;
            case CaptureRecord capture:
                using (var command = Command(capture.Sql))
                    _captures[capture.Variable] = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture)
                        ?? throw new SltFailure($"line {capture.Line}: capture got no value");
                break;
            case StatementRecord { ExpectError: false } statement:
                using (var command = Command(statement.Sql)) command.ExecuteNonQuery();
                break;
            case StatementRecord statement:
                ExpectError(statement);
                break;
            case QueryRecord query:
                CheckQuery(query);
                break;
        }
    }

    private void ExpectError(StatementRecord statement)
    {
        var before = LedgerSize();
        using var command = Command(statement.Sql);
        var error = Assert.Throws<StemeException>(() => command.ExecuteNonQuery());
        if (statement.ErrorCode is { } code)
            Assert.Equal(code, error.ErrorCode.ToString());
        Assert.Equal(before, LedgerSize());
    }

    private void CheckQuery(QueryRecord query)
    {
        using var command = Command(query.Sql);
        using var reader = command.ExecuteReader();
        Assert.Equal(query.Types.Length, reader.FieldCount);
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join(" ", Enumerable.Range(0, reader.FieldCount).Select(i => Format(reader.GetValue(i), query.Types[i]))));
        var expected = query.Expected.ToList();
        if (query.RowSort)
        {
            rows.Sort(StringComparer.Ordinal);
            expected.Sort(StringComparer.Ordinal);
        }
        if (!rows.SequenceEqual(expected))
            throw new SltFailure($"line {query.Line}: expected\n  {string.Join("\n  ", expected)}\nbut got\n  {string.Join("\n  ", rows)}");
    }

    private (long, long) LedgerSize()
    {
        using var assertions = Command("SELECT hash FROM assertions");
        using var votes = Command("SELECT lsn FROM votes");
        return (Count(assertions), Count(votes));
    }

    private static long Count(StemeCommand command)
    {
        using var reader = command.ExecuteReader();
        long n = 0;
        while (reader.Read()) n++;
        return n;
    }

    /// <summary>Formats a value as the sqllogictest column type asks.</summary>
    public static string Format(object value, char type) => value switch
    {
        DBNull => "NULL",
        string { Length: 0 } => "(empty)",
        _ when type == 'R' => Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("F3", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private StemeCommand Command(string sql)
    {
        if (!_connections.TryGetValue(_agent, out var connection))
            _connections[_agent] = connection = database.Open(_agent);
        // A script is one timeline: each agent's connection reads your-writes only, so it first waits
        // for the other agents' writes before it.
        connection.WaitForLsn(_connections.Values.Max(c => c.LastWriteLsn));
        var command = connection.CreateCommand();
        command.CommandText = Substitute(sql);
        return command;
    }

    private string Substitute(string sql)
    {
        foreach (var (name, value) in _captures)
            sql = sql.Replace("$" + name, "'" + value.Replace("'", "''") + "'", StringComparison.Ordinal);
        return sql;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var connection in _connections.Values) connection.Dispose();
    }
}

/// <summary>A conformance mismatch, reported with its file and line.</summary>
public sealed class SltFailure(string message, Exception? inner = null) : Exception(message, inner);
