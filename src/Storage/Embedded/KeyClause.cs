using System.Globalization;
using Microsoft.Data.Sqlite;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// The WHERE conditions of a read: <c>column IN (...)</c> for pinned key sets, plus any fixed
/// condition. Small sets become parameters; a set larger than <see cref="MaxParameters"/> is loaded
/// into a temporary table of the read connection, so the read stays one ordered statement.
/// </summary>
internal sealed class KeyClause
{
    /// <summary>The largest set bound as individual parameters.</summary>
    public const int MaxParameters = 500;

    private readonly List<string> _conditions = [];
    private readonly List<(string Name, object Value)> _parameters = [];
    private readonly List<(string Table, IEnumerable<object> Values)> _tables = [];

    /// <summary>Conditions on the subject and predicate columns for <paramref name="keys"/>.</summary>
    public static KeyClause For(KeyFilter keys, string subjectColumn, string predicateColumn)
    {
        var clause = new KeyClause();
        if (keys.Subjects is { } subjects) clause.In(subjectColumn, subjects.Distinct(StringComparer.Ordinal).Cast<object>().ToList());
        if (keys.Predicates is { } predicates) clause.In(predicateColumn, predicates.Distinct(StringComparer.Ordinal).Cast<object>().ToList());
        return clause;
    }

    /// <summary>Adds a fixed condition with one parameter.</summary>
    public KeyClause Where(string condition, string name, object value)
    {
        _conditions.Add(condition);
        _parameters.Add((name, value));
        return this;
    }

    /// <summary>Adds a parameter that the statement uses outside the conditions.</summary>
    public KeyClause Bind(string name, object value)
    {
        _parameters.Add((name, value));
        return this;
    }

    /// <summary>Adds <c>column IN (values)</c>.</summary>
    public KeyClause In(string column, IReadOnlyList<object> values)
    {
        if (values.Count > MaxParameters)
        {
            string table = "temp.stemeql_keys_" + _tables.Count.ToString(CultureInfo.InvariantCulture);
            _tables.Add((table, values));
            _conditions.Add($"{column} IN (SELECT v FROM {table})");
            return this;
        }
        var names = new string[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            string name = "$k" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
            _parameters.Add((name, Bindable(values[i])));
            names[i] = HasNul(values[i]) ? $"CAST({name} AS TEXT)" : name;
        }
        _conditions.Add(values.Count == 0 ? "0" : $"{column} IN ({string.Join(", ", names)})");
        return this;
    }

    /// <summary>The conditions joined with AND (<c>1</c> when there are none).</summary>
    public string Sql => _conditions.Count == 0 ? "1" : string.Join(" AND ", _conditions);

    /// <summary>Binds the parameters to <paramref name="command"/> and fills the temporary tables.</summary>
    public void Prepare(SqliteConnection connection, SqliteCommand command)
    {
        foreach (var (name, value) in _parameters) command.Parameters.AddWithValue(name, value);
        if (_tables.Count == 0) return;
        // Deferred: the read connection is read-only and must not ask for the database's write lock.
        using var transaction = connection.BeginTransaction(deferred: true);
        foreach (var (table, values) in _tables)
        {
            Run(connection, transaction, $"CREATE TABLE IF NOT EXISTS {table}(v PRIMARY KEY) WITHOUT ROWID");
            Run(connection, transaction, $"DELETE FROM {table}");
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT OR IGNORE INTO {table}(v) VALUES ($v)";
            var parameter = insert.Parameters.Add(new SqliteParameter("$v", DBNull.Value));
            using var insertText = connection.CreateCommand();
            insertText.Transaction = transaction;
            insertText.CommandText = $"INSERT OR IGNORE INTO {table}(v) VALUES (CAST($v AS TEXT))";
            var textParameter = insertText.Parameters.Add(new SqliteParameter("$v", DBNull.Value));
            foreach (var value in values)
            {
                var (statement, target) = HasNul(value) ? (insertText, textParameter) : (insert, parameter);
                target.Value = Bindable(value);
                statement.ExecuteNonQuery();
            }
        }
        transaction.Commit();
    }

    // Microsoft.Data.Sqlite binds text over 512 characters through SQLitePCLRaw's string overload, which
    // hands SQLite a NUL-terminated copy: text with U+0000 was cut there and matched nothing. Such text
    // is bound as its UTF-8 bytes (with their length) and cast back to TEXT in the statement.
    private static bool HasNul(object value) => value is string text && text.Contains('\0', StringComparison.Ordinal);

    private static object Bindable(object value) => HasNul(value) ? System.Text.Encoding.UTF8.GetBytes((string)value) : value;

    private static void Run(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Drops the temporary tables, so a pooled connection goes back clean.</summary>
    public void Cleanup(SqliteConnection connection)
    {
        foreach (var (table, _) in _tables) SqliteRuntime.Execute(connection, $"DROP TABLE IF EXISTS {table}");
    }
}
