using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    private const string ContainsSql = "SELECT 1 FROM assertions WHERE hash = $hash";

    /// <inheritdoc />
    public bool Contains(ContentHash hash)
    {
        ThrowIfDisposed();
        return _writePath?.Contains(hash) ?? ReadFixed(ContainsSql, "$hash", ValueCodec.HashToColumn(hash), "looking up an assertion") is not null;
    }

    /// <inheritdoc />
    public IEnumerable<StoredAssertion> ScanAssertions(KeyFilter keys, long maxLsn = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        // Whole records always carry their object and confidence.
        return Read<StoredAssertion>(ReadTarget.Assertions, keys, maxLsn, RowMapper.Assertion, "scanning assertions",
            fields: keys.Fields | AssertionFields.Object);
    }

    /// <inheritdoc />
    public IAssertionCursor OpenAssertions(KeyFilter keys, long maxLsn = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        return new AssertionCursor(Read(ReadTarget.Assertions, keys, maxLsn, AssertionCursor.NoRecord, "scanning assertions", fields: keys.Fields));
    }

    /// <inheritdoc />
    public IEnumerable<StoredVote> ScanVotes(IReadOnlyCollection<ContentHash>? assertions, long maxLsn = long.MaxValue) =>
        ScanVotesOn(KeyFilter.All with { Hashes = assertions }, maxLsn);

    /// <inheritdoc />
    public IEnumerable<StoredVote> ScanVotesOn(KeyFilter keys, long maxLsn = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        return Read<StoredVote>(ReadTarget.Votes, keys, maxLsn, RowMapper.Vote, "scanning votes");
    }

    /// <inheritdoc />
    public IEnumerable<ViewRow> LookupView(string lens, KeyFilter keys)
    {
        ArgumentNullException.ThrowIfNull(lens);
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        string name = ViewLens(lens);
        return Read(ReadTarget.View, keys, long.MaxValue, RowMapper.View, ReadingView.GetOrAdd(name, static n => $"reading the {n} view"), name);
    }

    // What a failed view read was doing, made once per lens rather than on every lookup.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> ReadingView = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public long CountAssertions(KeyFilter keys) => Count(StoreRelation.Assertions, keys);

    /// <inheritdoc />
    public long Count(StoreRelation relation, KeyFilter keys, string? lens = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        var (target, viewLens) = Target(relation, lens);
        if (keys.MatchesNothing) return 0;
        if (keys.IsUnfiltered && target != ReadTarget.View)
        {
            // The whole ledger: the maintained counters answer without touching the tables.
            var counts = LedgerCounts();
            return target == ReadTarget.Assertions ? counts.Assertions : counts.Votes;
        }
        ObjectKey[]? objects = null;
        if (keys.Objects is { } values && (objects = ObjectKey.From(values)) is null) return 0;
        var shape = ReadShape.For(target, count: true, keys, keys.MaxLsn, objects?.Length ?? 0);
        var connection = TakeReader("counting rows");
        bool healthy = false;
        try
        {
            var statement = connection.Bind(shape, keys, keys.MaxLsn, objects, viewLens);
            long count = statement.Step() ? statement.Row.GetInt64(0) : 0;
            statement.Reset();
            connection.ClearTables(shape);
            healthy = true;
            return count;
        }
        catch (SqliteException error)
        {
            throw Translate(error, "counting rows");
        }
        finally
        {
            Release(connection, healthy);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<GroupCount> CountBy(StoreRelation relation, KeyFilter keys, GroupColumn column, string? lens = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        var (target, viewLens) = Target(relation, lens);
        if (target == ReadTarget.Votes && column != GroupColumn.Agent)
            throw new ArgumentOutOfRangeException(nameof(column), column, "Votes are counted by agent only.");
        if (keys.MatchesNothing) return [];
        ObjectKey[]? objects = null;
        if (keys.Objects is { } values && (objects = ObjectKey.From(values)) is null) return [];
        var shape = ReadShape.For(target, count: true, keys, keys.MaxLsn, objects?.Length ?? 0, column);
        var connection = TakeReader("counting rows by " + column);
        bool healthy = false;
        try
        {
            var counts = new List<GroupCount>();
            var statement = connection.Bind(shape, keys, keys.MaxLsn, objects, viewLens);
            try
            {
                while (statement.Step()) counts.Add(new GroupCount(statement.Row.GetString(0), statement.Row.GetInt64(1)));
            }
            finally
            {
                statement.Reset();
            }
            connection.ClearTables(shape);
            healthy = true;
            return counts;
        }
        catch (SqliteException error)
        {
            throw Translate(error, "counting rows by " + column);
        }
        finally
        {
            Release(connection, healthy);
        }
    }

    /// <inheritdoc />
    public long LastLsnAt(DateTime utc)
    {
        ThrowIfDisposed();
        long ticks = (utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : utc).Ticks;
        // Write times never decrease with the LSN (see Write), so the newest write at or before a
        // time ends the last journal batch at or before it (Schema: batch_times).
        const string sql = "SELECT last_lsn FROM batch_times WHERE at <= $at ORDER BY at DESC, last_lsn DESC LIMIT 1";
        return ReadFixed(sql, "$at", ticks, "finding the LSN at a time") is long lsn ? lsn : Lsn.None;
    }

    /// <summary>Statements compiled on the read connections so far (a repeated read compiles none).</summary>
    internal long StatementsCompiled => _readers.StatementsCompiled;

    private (ReadTarget Target, string? Lens) Target(StoreRelation relation, string? lens) => relation switch
    {
        StoreRelation.Assertions => (ReadTarget.Assertions, null),
        StoreRelation.Votes => (ReadTarget.Votes, null),
        StoreRelation.View => (ReadTarget.View, ViewLens(lens ?? throw new ArgumentNullException(nameof(lens), "A view count needs the lens."))),
        _ => throw new ArgumentOutOfRangeException(nameof(relation), relation, "Not a relation of the store."),
    };

    // The materialized lens's name as the store keys its states (lens names are case-insensitive).
    // Indexed, not a lambda or foreach: those allocated a closure and a delegate, or an enumerator, per lookup.
    private string ViewLens(string lens)
    {
        var names = _lenses as IReadOnlyList<string> ?? [.. _lenses];
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], lens, StringComparison.OrdinalIgnoreCase)) return names[i];
        throw new StemeException(StemeErrorCode.UnknownLens,
            $"The lens '{lens}' has no materialized view here: use one of {string.Join(", ", _lenses)}, or evaluate it with a lens scan.");
    }

    /// <summary>The lenses whose states a writer has completed (the <c>lens:</c> keys of <c>meta</c>).</summary>
    private IReadOnlyCollection<string> MarkedLenses()
    {
        var connection = TakeReader("opening the store");
        bool healthy = false;
        try
        {
            var names = new List<string>();
            using (var reader = connection.Fixed(LensStateTable.MarkedSql).ExecuteReader())
            {
                while (reader.Read()) names.Add(reader.GetString(0));
            }
            healthy = true;
            return names;
        }
        catch (SqliteException error)
        {
            throw Translate(error, "opening the store");
        }
        finally
        {
            Release(connection, healthy);
        }
    }

    // Checked eagerly (so an empty read costs nothing); the rows then stream lazily.
    private IEnumerable<T> Read<T>(ReadTarget target, KeyFilter keys, long maxLsn, Func<StatementColumns, AssertionFields, T> map, string doing,
        string? lens = null, AssertionFields fields = AssertionFields.All)
    {
        if (keys.MatchesNothing || keys.Limit is <= 0) return [];
        ObjectKey[]? objects = null;
        if (keys.Objects is { } values && (objects = ObjectKey.From(values)) is null) return [];
        long max = Math.Min(maxLsn, keys.MaxLsn);
        if (max < keys.MinLsn) return [];
        var shape = ReadShape.For(target, count: false, keys, max, objects?.Length ?? 0, fields: fields);
        return new StreamedRows<T>(this, shape, keys, max, objects, map, doing, lens);
    }

    /// <summary>Runs a fixed statement with one parameter on a pooled connection; returns the first column of the first row.</summary>
    private object? ReadFixed(string sql, string? name, object? value, string doing)
    {
        ThrowIfDisposed();
        var connection = TakeReader(doing);
        bool healthy = false;
        try
        {
            var command = connection.Fixed(sql);
            if (name is not null)
            {
                if (command.Parameters.Count == 0) command.Parameters.Add(new SqliteParameter(name, value));
                else command.Parameters[0].Value = value;
            }
            var result = command.ExecuteScalar();
            healthy = true;
            return result is DBNull ? null : result;
        }
        catch (SqliteException error)
        {
            throw Translate(error, doing);
        }
        finally
        {
            Release(connection, healthy);
        }
    }

    private ReaderConnection TakeReader(string doing)
    {
        try
        {
            return _readers.Take();
        }
        catch (SqliteException error)
        {
            throw Translate(error, doing);
        }
    }

    // A connection whose read failed is closed rather than reused: whatever went wrong stays with it.
    private void Release(ReaderConnection connection, bool healthy)
    {
        if (healthy) _readers.Return(connection);
        else connection.Dispose();
    }
}
