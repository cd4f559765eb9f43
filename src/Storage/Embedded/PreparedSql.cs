using Microsoft.Data.Sqlite;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// A statement prepared once on the writer connection and run many times with new values
/// (Microsoft.Data.Sqlite keeps the compiled statement with the command).
/// </summary>
internal sealed class PreparedSql : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    /// <summary>Prepares <paramref name="sql"/>, whose parameters are <c>$name</c> for each of <paramref name="parameterNames"/>, in bind order.</summary>
    public PreparedSql(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        _parameters = new SqliteParameter[parameterNames.Length];
        for (int i = 0; i < parameterNames.Length; i++)
            _parameters[i] = _command.Parameters.Add(new SqliteParameter("$" + parameterNames[i], DBNull.Value));
    }

    /// <summary>Runs the statement; returns the number of rows changed.</summary>
    public int Execute(params object?[] values)
    {
        Bind(values);
        return _command.ExecuteNonQuery();
    }

    /// <summary>Runs the statement; returns the first column of the first row, or null when there is no row or it is NULL.</summary>
    public object? Scalar(params object?[] values)
    {
        Bind(values);
        var value = _command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Runs the statement and returns its reader (dispose it before the next run).</summary>
    public SqliteDataReader Query(params object?[] values)
    {
        Bind(values);
        return _command.ExecuteReader();
    }

    private void Bind(object?[] values)
    {
        if (values.Length != _parameters.Length)
            throw new ArgumentException($"The statement takes {_parameters.Length} values, not {values.Length}.", nameof(values));
        for (int i = 0; i < values.Length; i++) _parameters[i].Value = values[i] ?? DBNull.Value;
    }

    /// <inheritdoc />
    public void Dispose() => _command.Dispose();
}
