using System.Data;
using StemeQL.Internal;

namespace StemeQL;

/// <summary>
/// Writes many assertions or votes fast, as the connection's agent, in the spirit of SqlBulkCopy and
/// Npgsql's binary COPY: rows become assertions and votes directly, with no StemeQL text to parse.
/// </summary>
/// <remarks>
/// Rows are written <see cref="BatchSize"/> at a time, each batch one atomic write (one journal
/// append), acknowledged once durable; the next batch is built while the previous one's fsync runs,
/// and the call returns once every batch is durable. A bad row throws a <see cref="StemeException"/> whose message
/// names the row's 0-based index in the input: nothing of that row's batch is written, the batches
/// before it stay written, and rows after it are not read. In a transaction the rows join it and are
/// written at commit. Like the connection, a loader is not thread-safe.
/// </remarks>
public sealed class StemeBulkLoader
{
    private readonly StemeConnection _connection;
    /// <summary>The default <see cref="BatchSize"/>: 8,192 rows per atomic write.</summary>
    public const int DefaultBatchSize = 8_192;

    private int _batchSize = DefaultBatchSize;

    /// <summary>A loader writing through <paramref name="connection"/>, which must be open.</summary>
    public StemeBulkLoader(StemeConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.State != ConnectionState.Open)
            throw new InvalidOperationException("The bulk loader's connection is not open: call Open() first.");
        _connection = connection;
    }

    /// <summary>
    /// The rows per atomic write (journal append); at least 1, 8,192 by default. Much smaller batches
    /// pay more per-write overhead; much larger ones hold more objects alive at once and are slower.
    /// </summary>
    public int BatchSize
    {
        get => _batchSize;
        set => _batchSize = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "BatchSize must be at least 1.");
    }

    /// <summary>Raised after each batch is durable, with the rows written so far.</summary>
    public event EventHandler<StemeBulkProgress>? Progress;

    /// <summary>Writes assertions; returns the number of rows written (an assertion stored already counts: writing it again changes nothing).</summary>
    /// <exception cref="StemeException">A row is invalid or names an unknown hash; its batch was not written.</exception>
    public long WriteAssertions(IEnumerable<BulkAssertion> rows) => Write(rows, static (writer, row) => writer.Add(row));

    /// <summary>Writes votes; returns the number of rows written.</summary>
    /// <exception cref="StemeException">A row is invalid or names an unknown hash; its batch was not written.</exception>
    public long WriteVotes(IEnumerable<BulkVote> rows) => Write(rows, static (writer, row) => writer.Add(row));

    /// <summary>
    /// Writes assertions from an asynchronous source; returns the number of rows written. Cancelling
    /// stops before the next batch: the batches written stay written.
    /// </summary>
    /// <exception cref="StemeException">A row is invalid or names an unknown hash; its batch was not written.</exception>
    public Task<long> WriteAssertionsAsync(IAsyncEnumerable<BulkAssertion> rows, CancellationToken cancellationToken = default) =>
        WriteAsync(rows, static (writer, row) => writer.Add(row), cancellationToken);

    /// <summary>
    /// Writes votes from an asynchronous source; returns the number of rows written. Cancelling stops
    /// before the next batch: the batches written stay written.
    /// </summary>
    /// <exception cref="StemeException">A row is invalid or names an unknown hash; its batch was not written.</exception>
    public Task<long> WriteVotesAsync(IAsyncEnumerable<BulkVote> rows, CancellationToken cancellationToken = default) =>
        WriteAsync(rows, static (writer, row) => writer.Add(row), cancellationToken);

    private long Write<T>(IEnumerable<T> rows, Action<BulkWriter, T> add)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var writer = OpenWriter();
        try
        {
            foreach (var row in rows)
            {
                add(writer, row);
                if (writer.IsFull) Flush(writer);
            }
            return Finish(writer);
        }
        catch
        {
            writer.DrainAfterError();
            throw;
        }
    }

    private async Task<long> WriteAsync<T>(IAsyncEnumerable<T> rows, Action<BulkWriter, T> add, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var writer = OpenWriter();
        try
        {
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                // Checked per row too, for sources that ignore the token.
                cancellationToken.ThrowIfCancellationRequested();
                add(writer, row);
                if (writer.IsFull) Flush(writer, cancellationToken);
            }
            cancellationToken.ThrowIfCancellationRequested();
            return Finish(writer);
        }
        catch
        {
            writer.DrainAfterError();
            throw;
        }
    }

    /// <summary>
    /// A writer for mixed assertions and votes in input order (<c>steme import</c>); errors name rows as
    /// "<paramref name="rowWord"/> N" with the number given to each row.
    /// </summary>
    internal BulkWriter OpenWriter(string rowWord, bool numbered) =>
        new(_connection.Session, _batchSize, rowWord, numbered, _connection.AgentAuthorization)
        {
            Database = _connection.Database,
            Counted = _connection.TelemetryEnabled,
        };

    private BulkWriter OpenWriter() => new(_connection.Session, _batchSize, authorization: _connection.AgentAuthorization)
    {
        Database = _connection.Database,
        Counted = _connection.TelemetryEnabled,
        BatchDurable = writer => Progress?.Invoke(this, new StemeBulkProgress(writer.RowsWritten, writer.Batches, writer.Elapsed)),
    };

    private void Flush(BulkWriter writer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        writer.Flush(cancellationToken);
    }

    private static long Finish(BulkWriter writer)
    {
        writer.Complete();
        return writer.RowsWritten;
    }
}
