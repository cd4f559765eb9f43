using Npgsql;
using NpgsqlTypes;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Postgres;

public sealed partial class PostgresStore
{
    /// <inheritdoc />
    public IEnumerable<StoredAssertion> ScanAssertions(KeyFilter keys, long maxLsn = long.MaxValue) =>
        Read(StoreRelation.Assertions, keys, maxLsn, null, PgRows.Assertion, "scanning assertions");

    /// <inheritdoc />
    public IEnumerable<StoredVote> ScanVotes(IReadOnlyCollection<ContentHash>? assertions, long maxLsn = long.MaxValue) =>
        ScanVotesOn(KeyFilter.All with { Hashes = assertions }, maxLsn);

    /// <inheritdoc />
    public IEnumerable<StoredVote> ScanVotesOn(KeyFilter keys, long maxLsn = long.MaxValue) =>
        Read(StoreRelation.Votes, keys, maxLsn, null, PgRows.Vote, "scanning votes");

    /// <inheritdoc />
    public IEnumerable<ViewRow> LookupView(string lens, KeyFilter keys)
    {
        ArgumentNullException.ThrowIfNull(lens);
        var view = ViewLens(lens);
        return Read(StoreRelation.View, keys, long.MaxValue, view.Name, PgRows.View, view.Doing);
    }

    /// <inheritdoc />
    public bool TryLookupViewRow(string lens, string subject, string predicate, AssertionFields fields, out ViewRowValues row)
    {
        ArgumentNullException.ThrowIfNull(lens);
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(predicate);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var view = ViewLens(lens);
        var read = new OneSetRead(this, PgReadShape.OneSet(view.Name, fields), subject, predicate, view.Doing);
        return ReadFirst(view.Doing, read, static (connection, r) => r.Store.Execute(r.Store.BindOneSet(connection, r), r.Doing),
            PgRows.ViewValues, read.Shape.Fields, out row);
    }

    /// <inheritdoc />
    public long CountAssertions(KeyFilter keys) => Count(StoreRelation.Assertions, keys);

    /// <inheritdoc />
    public long Count(StoreRelation relation, KeyFilter keys, string? lens = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        string? viewLens = relation == StoreRelation.View
            ? ViewLens(lens ?? throw new ArgumentNullException(nameof(lens), "A view count needs the lens.")).Name : null;
        if (keys.MatchesNothing || ObjectKeys(keys) is { Length: 0 }) return 0;
        var shape = PgReadShape.For(relation, count: true, keys, keys.MaxLsn, viewLens);
        var (connection, count) = _reads.Start("counting rows", connection => Run("counting rows", () =>
        {
            return (long)Bind(connection, shape, keys, keys.MaxLsn).ExecuteScalar()!;
        }));
        _reads.Return(connection);
        return count;
    }

    /// <inheritdoc />
    public long LastLsnAt(DateTime utc)
    {
        long ticks = (utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : utc).Ticks;
        // Write times never decrease with the LSN, so the newest write at or before a time is found by a binary search
        // over LSNs, each step one seek of each ledger's primary key: no index on the times to keep up per row.
        // lo: an LSN written at or before the time (0: none yet); hi: every event at or after it was written later.
        const string sql = """
            WITH RECURSIVE search(lo, hi) AS (
                SELECT 0::bigint, last_lsn + 1 FROM stemeql_clock WHERE id = 1
                UNION ALL
                SELECT CASE WHEN e.at <= $1 THEN e.lsn ELSE s.lo END, CASE WHEN e.at <= $1 THEN s.hi ELSE (s.lo + s.hi) / 2 END
                FROM search s LEFT JOIN LATERAL (
                    SELECT lsn, at FROM (
                        (SELECT lsn, asserted_at AS at FROM assertions WHERE lsn >= (s.lo + s.hi) / 2 ORDER BY lsn LIMIT 1)
                        UNION ALL
                        (SELECT lsn, voted_at FROM votes WHERE lsn >= (s.lo + s.hi) / 2 ORDER BY lsn LIMIT 1)) first_events
                    ORDER BY lsn LIMIT 1) e ON true
                WHERE s.hi - s.lo > 1)
            SELECT lo FROM search WHERE hi - lo <= 1
            """;
        return Scalar(sql, "finding the LSN at a time", PgCommands.Long(ticks)) is long lsn ? lsn : Lsn.None; // 0 when nothing was written by then: Lsn.None
    }

    /// <inheritdoc />
    public IEnumerable<ObjectUse> ScanObjectUses()
    {
        using var connection = OpenConnection("listing object uses");
        return Run("listing object uses", () =>
        {
            using var command = PgCommands.Create(connection, null, "SELECT lsn, hash, object FROM assertions WHERE object_type = $1 ORDER BY lsn",
                (NpgsqlDbType.Smallint, PgValueCodec.ExternalType));
            using var reader = command.ExecuteReader();
            var uses = new List<ObjectUse>();
            while (reader.Read())
                uses.Add(new ObjectUse(reader.GetInt64(0), ContentHash.FromBytes(reader.GetFieldValue<byte[]>(1)), PgValueCodec.ReferenceOf(reader.GetFieldValue<byte[]>(2))));
            return uses;
        });
    }

    // The materialized lens's name as stored (lens names are case-insensitive), with what a read of its view is doing.
    private ViewRead ViewLens(string lens) => _viewReads.TryGetValue(lens, out var view) ? view
        : throw new StemeException(StemeErrorCode.UnknownLens,
            $"The lens '{lens}' has no materialized view here: use one of {string.Join(", ", _lensNames)}, or evaluate it with a lens scan.");

    // Made once per lens: a lookup builds no text for the error it will most likely not raise.
    private readonly record struct ViewRead(string Name, string Doing);

    // The object keys a filter can match (values no object can hold are dropped); null when objects are not pinned.
    private static StemeValue[]? ObjectKeys(KeyFilter keys) => keys.Objects?.Where(PgValueCodec.IsObject).ToArray();

    // Checked eagerly (so an empty read costs nothing); the rows then stream lazily.
    private IEnumerable<T> Read<T>(StoreRelation target, KeyFilter keys, long maxLsn, string? lens, Func<NpgsqlDataReader, AssertionFields, T> map, string doing)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (keys.MatchesNothing || keys.Limit is <= 0 || ObjectKeys(keys) is { Length: 0 }) return [];
        long max = Math.Min(maxLsn, keys.MaxLsn);
        if (max < keys.MinLsn) return [];
        var shape = PgReadShape.For(target, count: false, keys, max, lens);
        return shape.AtMostOneRow ? ReadOne(shape, keys, max, map, doing) : Stream(shape, keys, max, map, doing);
    }

    // A read that can match one row at most (one set's view row, one hash's assertion) is read at once and its
    // connection given back: no iterator holds it while the caller enumerates.
    private T[] ReadOne<T>(PgReadShape shape, KeyFilter keys, long maxLsn, Func<NpgsqlDataReader, AssertionFields, T> map, string doing) =>
        ReadFirst(doing, new ReadRequest(this, shape, keys, maxLsn, doing), static (connection, r) => r.Store.OpenReader(connection, r),
            map, shape.Fields, out var item) ? [item] : [];

    // Opens a read (on the thread's kept connection, see PgReadConnections) and maps its first row, if any.
    private bool ReadFirst<TRead, T>(string doing, TRead read, Func<NpgsqlConnection, TRead, NpgsqlDataReader> open,
        Func<NpgsqlDataReader, AssertionFields, T> map, AssertionFields fields, out T item)
    {
        var (connection, reader) = _reads.Start(doing, read, open);
        try
        {
            using (reader)
            {
                bool found = reader.Read();
                item = found ? map(reader, fields) : default!;
                return found;
            }
        }
        catch (Exception error) when (PgErrors.IsDatabaseError(error))
        {
            throw PgErrors.Translate(error, doing, Where, connecting: false);
        }
        finally
        {
            _reads.Return(connection);
        }
    }

    // Rows stream from a connection held while the caller enumerates (the thread's kept one, or a pooled one).
    // C# forbids yield inside a try with a catch, hence the guarded steps.
    private IEnumerable<T> Stream<T>(PgReadShape shape, KeyFilter keys, long maxLsn, Func<NpgsqlDataReader, AssertionFields, T> map, string doing)
    {
        var read = new ReadRequest(this, shape, keys, maxLsn, doing);
        var (connection, reader) = _reads.Start(doing, read, static (connection, r) => r.Store.OpenReader(connection, r));
        try
        {
            using var rows = reader;
            while (true)
            {
                T item;
                try
                {
                    if (!reader.Read()) break;
                    item = map(reader, shape.Fields);
                }
                catch (Exception error) when (PgErrors.IsDatabaseError(error))
                {
                    throw PgErrors.Translate(error, doing, Where, connecting: false);
                }
                yield return item;
            }
        }
        finally
        {
            _reads.Return(connection);
        }
    }

    // What a read binds, passed to a static lambda so that starting it allocates no closure.
    private readonly record struct ReadRequest(PostgresStore Store, PgReadShape Shape, KeyFilter Keys, long MaxLsn, string Doing);

    // One set's view read: its two keys are all it binds, with no KeyFilter to carry them.
    private readonly record struct OneSetRead(PostgresStore Store, PgReadShape Shape, string Subject, string Predicate, string Doing);

    private NpgsqlDataReader OpenReader(NpgsqlConnection connection, in ReadRequest read) =>
        Execute(Bind(connection, read.Shape, read.Keys, read.MaxLsn), read.Doing);

    private NpgsqlDataReader Execute(NpgsqlCommand command, string doing)
    {
        try
        {
            return command.ExecuteReader();
        }
        catch (Exception error) when (PgErrors.IsDatabaseError(error))
        {
            throw PgErrors.Translate(error, doing, Where, connecting: false);
        }
    }

    // A connection keeps one command per shape (a thread's kept connection serves many reads): a read then only sets
    // the parameters' values.
    private NpgsqlCommand Command(NpgsqlConnection connection, PgReadShape shape)
    {
        var commands = _commands.GetValue(connection, _ => []);
        if (!commands.TryGetValue(shape, out var command)) commands[shape] = command = new NpgsqlCommand(PgReadSql.For(shape), connection);
        return command;
    }

    // The same statement as Bind's for a KeyFilter pinning that one set (PgReadShape.OneSet is its shape).
    private NpgsqlCommand BindOneSet(NpgsqlConnection connection, in OneSetRead read)
    {
        var command = Command(connection, read.Shape);
        var p = new PgParameterSlots(command.Parameters);
        p.Set(NpgsqlDbType.Bytea, PgText.Key(read.Subject));
        p.Set(NpgsqlDbType.Bytea, PgText.Key(read.Predicate));
        return command;
    }

    // Positional, in PgReadSql's order: the text goes to the server unparsed.
    private NpgsqlCommand Bind(NpgsqlConnection connection, PgReadShape shape, KeyFilter keys, long maxLsn)
    {
        var command = Command(connection, shape);
        var p = new PgParameterSlots(command.Parameters);
        if (shape.OneHash) p.Set(NpgsqlDbType.Bytea, Single(keys.Hashes!).Bytes.ToArray());
        else if (shape.Hashes) p.Set(NpgsqlDbType.Array | NpgsqlDbType.Bytea, keys.Hashes!.Select(h => h.Bytes.ToArray()).ToArray());
        if (shape.OneSubject) p.Set(NpgsqlDbType.Bytea, PgText.Key(Single(keys.Subjects!)));
        else if (shape.Subjects) p.Set(NpgsqlDbType.Array | NpgsqlDbType.Bytea, PgText.Keys(keys.Subjects!));
        if (shape.OnePredicate) p.Set(NpgsqlDbType.Bytea, PgText.Key(Single(keys.Predicates!)));
        else if (shape.Predicates) p.Set(NpgsqlDbType.Array | NpgsqlDbType.Bytea, PgText.Keys(keys.Predicates!));
        if (shape.Agents) p.Set(NpgsqlDbType.Array | NpgsqlDbType.Bytea, PgText.ToColumns(keys.Agents!));
        if (shape.Objects)
        {
            var values = ObjectKeys(keys)!;
            p.Set(NpgsqlDbType.Array | NpgsqlDbType.Smallint, values.Select(PgValueCodec.TypeOf).ToArray());
            p.Set(NpgsqlDbType.Array | NpgsqlDbType.Bytea, values.Select(v => PgValueCodec.Digest(PgValueCodec.ToColumn(v))).ToArray());
        }
        if (shape.MinLsn) p.Set(NpgsqlDbType.Bigint, keys.MinLsn);
        if (shape.MaxLsn) p.Set(NpgsqlDbType.Bigint, maxLsn);
        if (shape.Limit) p.Set(NpgsqlDbType.Bigint, keys.Limit!.Value);
        return command;
    }

    // Fills a command's positional parameters in order, adding them on its first use.
    private ref struct PgParameterSlots(NpgsqlParameterCollection parameters)
    {
        private int _next;

        public void Set(NpgsqlDbType type, object value)
        {
            if (_next < parameters.Count) parameters[_next].Value = value;
            else parameters.Add(new NpgsqlParameter { NpgsqlDbType = type, Value = value });
            _next++;
        }
    }

    private static T Single<T>(IReadOnlyCollection<T> values) => values is IReadOnlyList<T> list ? list[0] : values.First();
}
