using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// A read-only connection of the store's own pool with the statements prepared on it: one per read
/// shape (<see cref="ReadShape"/>) and one per fixed statement text. A repeated read binds new values
/// to the statement its shape prepared the first time, so it compiles nothing. Used by one read at a time.
/// </summary>
internal sealed class ReaderConnection : IDisposable
{
    // Enough for every shape a workload uses; a workload that makes more starts the cache over.
    private const int MaxStatements = 256;

    /// <summary>Each reader connection's page cache, in KiB.</summary>
    public const int CacheKibibytes = 16 * 1024;

    private readonly Dictionary<ReadShape, PreparedRead> _reads = [];
    private readonly Dictionary<string, SqliteCommand> _fixed = new(StringComparer.Ordinal);
    private readonly SqliteCommand?[] _tableInserts = new SqliteCommand?[5];
    private readonly Action _onCompile;

    public ReaderConnection(string connectionString, Action onCompile)
    {
        Connection = SqliteRuntime.Open(connectionString);
        // SQLite's default page cache (2 MiB) holds little more than the indexes' upper levels of a
        // store of a few hundred thousand assertions, so a keyed view read (three tables) went to the
        // operating system for most of its leaf pages. The cache fills only as pages are read.
        SqliteRuntime.Execute(Connection, $"PRAGMA cache_size = -{CacheKibibytes}");
        _onCompile = onCompile;
    }

    public SqliteConnection Connection { get; }

    /// <summary>The statement for <paramref name="shape"/> with the values of <paramref name="keys"/> bound; run it, then <see cref="ReadStatement.Reset"/> it.</summary>
    public ReadStatement Bind(ReadShape shape, KeyFilter keys, long maxLsn, ObjectKey[]? objects, string? lens = null)
    {
        if (!_reads.TryGetValue(shape, out var read))
        {
            Trim();
            // The statement reads the key tables it uses, so they must exist before it is prepared.
            for (int kind = 0; kind < _tableInserts.Length; kind++)
                if (shape.UsesTable((KeyKind)kind)) TableInsert((KeyKind)kind);
            read = new PreparedRead(Connection, shape);
            _onCompile();
            _reads.Add(shape, read);
        }
        if (keys.Hashes is { } hashes) BindHashes(read, shape, hashes);
        if (keys.Subjects is { } subjects) BindTexts(read, shape, KeyKind.Subject, subjects);
        if (keys.Predicates is { } predicates) BindTexts(read, shape, KeyKind.Predicate, predicates);
        if (keys.Agents is { } agents) BindTexts(read, shape, KeyKind.Agent, agents);
        if (objects is not null) BindObjects(read, shape, objects);
        var statement = read.Statement;
        if (read.MinLsn > 0) statement.Bind(read.MinLsn, keys.MinLsn);
        if (read.MaxLsn > 0) statement.Bind(read.MaxLsn, maxLsn);
        if (read.Limit > 0) statement.Bind(read.Limit, keys.Limit ?? long.MaxValue);
        if (read.Lens > 0) statement.Bind(read.Lens, lens ?? throw new ArgumentNullException(nameof(lens), "A view read names its lens."));
        return statement;
    }

    /// <summary>A fixed statement, prepared on first use; set its parameters by name.</summary>
    public SqliteCommand Fixed(string sql)
    {
        if (_fixed.TryGetValue(sql, out var command)) return command;
        Trim();
        command = Connection.CreateCommand();
        command.CommandText = sql;
        _onCompile();
        _fixed.Add(sql, command);
        return command;
    }

    /// <summary>Empties the key tables <paramref name="shape"/> filled, so large sets do not stay in memory.</summary>
    public void ClearTables(ReadShape shape)
    {
        for (int kind = 0; kind < _tableInserts.Length; kind++)
        {
            if (shape.UsesTable((KeyKind)kind)) SqliteRuntime.Execute(Connection, $"DELETE FROM {ReadSql.TableName((KeyKind)kind)}");
        }
    }

    private void BindTexts(PreparedRead read, ReadShape shape, KeyKind kind, IReadOnlyCollection<string> values)
    {
        if (shape.UsesTable(kind))
        {
            FillTable(kind, values, static v => TextKey.Bindable(v));
            return;
        }
        var parameters = read.Keys[(int)kind];
        int i = 0;
        string last = "";
        // Bound with its length: U+0000 inside a key is kept (TextKey is for the key tables' inserts). A
        // list is indexed: a single pinned value's enumerator would be an object per read.
        if (values is IReadOnlyList<string> list)
        {
            for (; i < list.Count; i++) read.Statement.Bind(parameters[i], last = list[i]);
        }
        else
        {
            foreach (var value in values) read.Statement.Bind(parameters[i++], last = value);
        }
        // Padding repeats the last value; IN ignores the repeat.
        for (; i < parameters.Length; i++) read.Statement.Bind(parameters[i], last);
    }

    private void BindHashes(PreparedRead read, ReadShape shape, IReadOnlyCollection<ContentHash> hashes)
    {
        if (shape.UsesTable(KeyKind.Hash))
        {
            FillTable(KeyKind.Hash, hashes, static h => ValueCodec.HashToColumn(h));
            return;
        }
        var parameters = read.Keys[(int)KeyKind.Hash];
        int i = 0;
        ContentHash last = default;
        foreach (var hash in hashes) read.Statement.Bind(parameters[i++], (last = hash).Bytes);
        for (; i < parameters.Length; i++) read.Statement.Bind(parameters[i], last.Bytes);
    }

    private void BindObjects(PreparedRead read, ReadShape shape, ObjectKey[] objects)
    {
        if (shape.UsesTable(KeyKind.Object))
        {
            var insert = TableInsert(KeyKind.Object);
            FillTable(insert, KeyKind.Object, () =>
            {
                foreach (var o in objects)
                {
                    insert.Parameters[0].Value = o.Type;
                    insert.Parameters[1].Value = TextKey.Bindable(o.Value);
                    insert.ExecuteNonQuery();
                }
            });
            return;
        }
        var types = read.ObjectTypes;
        var values = read.Keys[(int)KeyKind.Object];
        for (int i = 0; i < values.Length; i++)
        {
            var o = objects[Math.Min(i, objects.Length - 1)];
            read.Statement.Bind(types[i], o.Type);
            read.Statement.Bind(values[i], o.Value);
        }
    }

    private void FillTable<T>(KeyKind kind, IReadOnlyCollection<T> values, Func<T, object> column)
    {
        var insert = TableInsert(kind);
        FillTable(insert, kind, () =>
        {
            foreach (var value in values)
            {
                insert.Parameters[0].Value = column(value);
                insert.ExecuteNonQuery();
            }
        });
    }

    private void FillTable(SqliteCommand insert, KeyKind kind, Action fill)
    {
        // Deferred: the connection is read-only and must not ask for the database's write lock.
        using var transaction = Connection.BeginTransaction(deferred: true);
        using (var clear = Connection.CreateCommand())
        {
            clear.Transaction = transaction;
            clear.CommandText = $"DELETE FROM {ReadSql.TableName(kind)}";
            clear.ExecuteNonQuery();
        }
        insert.Transaction = transaction;
        try
        {
            fill();
            transaction.Commit();
        }
        finally
        {
            insert.Transaction = null;
        }
    }

    private SqliteCommand TableInsert(KeyKind kind)
    {
        if (_tableInserts[(int)kind] is { } existing) return existing;
        bool objects = kind == KeyKind.Object;
        string table = ReadSql.TableName(kind);
        // Creating a temporary table changes the connection's schema, which makes SQLite prepare the
        // cached statements once more; it happens once per connection and key kind.
        SqliteRuntime.Execute(Connection, objects
            ? $"CREATE TABLE IF NOT EXISTS {table}(t, v, PRIMARY KEY(t, v)) WITHOUT ROWID"
            : $"CREATE TABLE IF NOT EXISTS {table}(v PRIMARY KEY) WITHOUT ROWID");
        var insert = Connection.CreateCommand();
        // Text keys arrive as UTF-8 bytes when they hold U+0000 (see TextKey): the insert casts them back.
        insert.CommandText = objects ? $"INSERT OR IGNORE INTO {table}(t, v) VALUES ($t, CASE WHEN typeof($v) = 'blob' AND $t = {(int)ObjectType.Text} THEN CAST($v AS TEXT) ELSE $v END)"
            : kind == KeyKind.Hash ? $"INSERT OR IGNORE INTO {table}(v) VALUES ($v)"
            : $"INSERT OR IGNORE INTO {table}(v) VALUES (CAST($v AS TEXT))";
        if (objects) insert.Parameters.Add(new SqliteParameter("$t", 0L));
        insert.Parameters.Add(new SqliteParameter("$v", DBNull.Value));
        return _tableInserts[(int)kind] = insert;
    }

    private void Trim()
    {
        if (_reads.Count + _fixed.Count < MaxStatements) return;
        foreach (var read in _reads.Values) read.Statement.Dispose();
        foreach (var command in _fixed.Values) command.Dispose();
        _reads.Clear();
        _fixed.Clear();
    }

    public void Dispose()
    {
        foreach (var read in _reads.Values) read.Statement.Dispose();
        foreach (var command in _fixed.Values) command.Dispose();
        foreach (var insert in _tableInserts) insert?.Dispose();
        Connection.Dispose();
    }

    /// <summary>A statement prepared for one shape, with its parameters' indexes in binding order (0: not in the statement).</summary>
    private sealed class PreparedRead
    {
        public PreparedRead(SqliteConnection connection, ReadShape shape)
        {
            Statement = new ReadStatement(connection, ReadSql.For(shape));
            Keys = new int[5][];
            for (int kind = 0; kind < Keys.Length; kind++)
            {
                int count = shape.ParameterCount((KeyKind)kind);
                Keys[kind] = new int[count];
                for (int i = 0; i < count; i++) Keys[kind][i] = Statement.IndexOf(ReadSql.Prefix((KeyKind)kind) + Invariant(i));
            }
            ObjectTypes = new int[Keys[(int)KeyKind.Object].Length];
            for (int i = 0; i < ObjectTypes.Length; i++) ObjectTypes[i] = Statement.IndexOf("$t" + Invariant(i));
            MinLsn = Statement.IndexOf("$min_lsn");
            MaxLsn = Statement.IndexOf("$max_lsn");
            Limit = Statement.IndexOf("$limit");
            Lens = Statement.IndexOf("$lens");
        }

        public ReadStatement Statement { get; }
        public int[][] Keys { get; }
        public int[] ObjectTypes { get; }
        public int MinLsn { get; }
        public int MaxLsn { get; }
        public int Limit { get; }
        public int Lens { get; }

        private static string Invariant(int i) => i.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>An object value as its two columns: the type code and the stored value.</summary>
internal readonly record struct ObjectKey(long Type, object Value)
{
    /// <summary>The keys of the values an object column can hold; null when none can (NULL, timestamps).</summary>
    public static ObjectKey[]? From(IReadOnlyCollection<StemeValue> values)
    {
        var keys = new List<ObjectKey>(values.Count);
        foreach (var value in values)
        {
            if (value.Kind is ValueKind.Null or ValueKind.Timestamp) continue;
            keys.Add(new ObjectKey((long)value.ObjectType, ValueCodec.ToColumn(value)));
        }
        return keys.Count == 0 ? null : [.. keys];
    }
}
