using Microsoft.Data.Sqlite;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    /// <inheritdoc />
    public bool Contains(ContentHash hash)
    {
        ThrowIfDisposed();
        return _writePath?.Contains(hash) ?? ReadScalar("SELECT 1 FROM assertions WHERE hash = $hash", new KeyClause().Bind("$hash", ValueCodec.HashToColumn(hash)),
            "looking up an assertion") is not null;
    }

    /// <inheritdoc />
    public IEnumerable<StoredAssertion> ScanAssertions(KeyFilter keys, long maxLsn = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        if (keys.MatchesNothing) return [];
        var clause = KeyClause.For(keys, "a.subject", "a.predicate").Where("a.lsn <= $max_lsn", "$max_lsn", maxLsn);
        return Stream($"SELECT {RowMapper.AssertionColumns} FROM assertions a WHERE {clause.Sql} ORDER BY a.lsn",
            clause, RowMapper.Assertion, "scanning assertions");
    }

    /// <inheritdoc />
    public IEnumerable<StoredVote> ScanVotes(IReadOnlyCollection<ContentHash>? assertions, long maxLsn = long.MaxValue)
    {
        ThrowIfDisposed();
        if (assertions is { Count: 0 }) return [];
        var clause = new KeyClause().Where("v.lsn <= $max_lsn", "$max_lsn", maxLsn);
        if (assertions is not null)
            clause.In("v.assertion", assertions.Distinct().Select(h => (object)ValueCodec.HashToColumn(h)).ToList());
        return Stream($"SELECT {RowMapper.VoteColumns} FROM votes v WHERE {clause.Sql} ORDER BY v.lsn",
            clause, RowMapper.Vote, "scanning votes");
    }

    /// <inheritdoc />
    public IEnumerable<StoredVote> ScanVotesOn(KeyFilter keys, long maxLsn = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        if (keys.MatchesNothing) return [];
        if (!keys.PinsSubject && !keys.PinsPredicate) return ScanVotes(null, maxLsn);
        var clause = KeyClause.For(keys, "a.subject", "a.predicate").Where("v.lsn <= $max_lsn", "$max_lsn", maxLsn);
        return Stream($"SELECT {RowMapper.VoteColumns} FROM assertions a JOIN votes v ON v.assertion = a.hash WHERE {clause.Sql} ORDER BY v.lsn",
            clause, RowMapper.Vote, "scanning votes");
    }

    /// <inheritdoc />
    public IEnumerable<ViewRow> LookupView(string lens, KeyFilter keys)
    {
        ArgumentNullException.ThrowIfNull(lens);
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        string winner = lens.ToLowerInvariant() switch
        {
            LensNames.Consensus => "s.consensus_lsn",
            LensNames.Recency => "s.recency_lsn",
            _ => throw new StemeException(StemeErrorCode.UnknownLens,
                $"The lens '{lens}' has no materialized view here: use one of {string.Join(", ", Lenses)}, or evaluate it with a lens scan."),
        };
        if (keys.MatchesNothing) return [];
        var clause = KeyClause.For(keys, "s.subject", "s.predicate");
        // For both lenses the support is that of the winner's value across the set.
        string sql = $"""
            SELECT {RowMapper.AssertionColumns}, mv.support_units, s.total_units, s.candidates
            FROM mv_set s
            JOIN assertions a ON a.lsn = {winner}
            JOIN mv_value mv ON mv.subject = a.subject AND mv.predicate = a.predicate
                AND mv.object_type = a.object_type AND mv.object = a.object
            WHERE {clause.Sql}
            ORDER BY s.subject, s.predicate
            """;
        return Stream(sql, clause, RowMapper.View, $"reading the {lens} view");
    }

    /// <inheritdoc />
    public long CountAssertions(KeyFilter keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ThrowIfDisposed();
        if (keys.MatchesNothing) return 0;
        if (!keys.PinsSubject && !keys.PinsPredicate) return _assertionsAtOpen + (_writePath?.AssertionsIngested ?? 0) - _ingestedAtOpen;
        var clause = KeyClause.For(keys, "s.subject", "s.predicate");
        return ReadScalar($"SELECT coalesce(sum(s.assertion_count), 0) FROM mv_set s WHERE {clause.Sql}", clause, "counting assertions") is long count
            ? count : 0;
    }

    /// <inheritdoc />
    public long LastLsnAt(DateTime utc)
    {
        ThrowIfDisposed();
        long ticks = (utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : utc).Ticks;
        // Write times never decrease with the LSN (see Write), so the newest write at or before a
        // time is the last entry of each time index up to it.
        const string sql = """
            SELECT max(lsn) FROM (
                SELECT * FROM (SELECT lsn FROM assertions WHERE asserted_at <= $at ORDER BY asserted_at DESC, lsn DESC LIMIT 1)
                UNION ALL
                SELECT * FROM (SELECT lsn FROM votes WHERE voted_at <= $at ORDER BY voted_at DESC, lsn DESC LIMIT 1))
            """;
        return ReadScalar(sql, new KeyClause().Bind("$at", ticks), "finding the LSN at a time") is long lsn ? lsn : Lsn.None;
    }

    private SqliteConnection OpenReader() => SqliteRuntime.Open(_readerConnectionString);

    private object? ReadScalar(string sql, KeyClause clause, string doing)
    {
        ThrowIfDisposed();
        try
        {
            using var connection = OpenReader();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            clause.Prepare(connection, command);
            try
            {
                var value = command.ExecuteScalar();
                return value is DBNull ? null : value;
            }
            finally
            {
                clause.Cleanup(connection);
            }
        }
        catch (SqliteException error)
        {
            throw Translate(error, doing);
        }
    }

    // Rows stream from a reader on a connection of their own, held only while the caller enumerates.
    // C# forbids yield inside a try with a catch, hence the separate guarded steps.
    private IEnumerable<T> Stream<T>(string sql, KeyClause clause, Func<SqliteDataReader, T> map, string doing)
    {
        ThrowIfDisposed();
        SqliteConnection? connection = null;
        SqliteCommand? command = null;
        SqliteDataReader? reader = null;
        try
        {
            try
            {
                connection = OpenReader();
                command = connection.CreateCommand();
                command.CommandText = sql;
                clause.Prepare(connection, command);
                reader = command.ExecuteReader();
            }
            catch (SqliteException error)
            {
                throw Translate(error, doing);
            }
            while (true)
            {
                T item;
                try
                {
                    if (!reader.Read()) break;
                    item = map(reader);
                }
                catch (SqliteException error)
                {
                    throw Translate(error, doing);
                }
                yield return item;
            }
        }
        finally
        {
            reader?.Dispose();
            command?.Dispose();
            if (connection is not null)
            {
                try
                {
                    clause.Cleanup(connection);
                }
                catch (SqliteException)
                {
                    // A temp table left behind is dropped with the pooled connection; the read itself succeeded.
                }
                connection.Dispose();
            }
        }
    }
}
