using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace StemeQL.Workloads;

/// <summary>
/// A writer that keeps writing new facts while reads are measured: on StemeQL through the bulk loader
/// (the fastest writer, so the views' backlog is the largest a reader can meet), on the peer into its
/// ledger and view tables, 10,000 rows per transaction. Under the default consistency a reader on
/// another connection must not wait for that backlog.
/// </summary>
internal sealed class BusyWriter : IDisposable
{
    private const int RowsPerWrite = 10_000;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _task;
    private readonly IDisposable _connection;
    private long _rows;

    private BusyWriter(IDisposable connection, Action<int, CancellationToken> writeOnce)
    {
        _connection = connection;
        _task = Task.Factory.StartNew(() =>
        {
            for (int round = 0; !_stop.IsCancellationRequested; round++)
            {
                writeOnce(round, _stop.Token);
                Interlocked.Add(ref _rows, RowsPerWrite);
            }
        }, TaskCreationOptions.LongRunning);
    }

    /// <summary>Rows written so far.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Starts writing new assertions to the StemeQL store through <paramref name="scratch"/>.</summary>
    public static BusyWriter OnStemeQL(Scratch scratch)
    {
        var connection = scratch.Open("busy-writer");
        var loader = new StemeBulkLoader(connection);
        string run = Guid.NewGuid().ToString("N")[..8];
        return new BusyWriter(connection, (round, _) => loader.WriteAssertions(NewRows(run, round)
            .Select(r => new BulkAssertion(r.Subject, r.Predicate, r.Object))));
    }

    /// <summary>Starts writing the same kind of rows into the peer's tables at <paramref name="path"/>.</summary>
    public static BusyWriter OnPeer(string path)
    {
        var peer = RawBaselines.OpenSqlite(path, "NORMAL");
        string run = Guid.NewGuid().ToString("N")[..8];
        return new BusyWriter(peer, (round, _) =>
        {
            using var transaction = peer.BeginTransaction();
            using var insert = new SqliteCommand("INSERT INTO ledger VALUES ($h, $s, $p, $o, $a, $l)", peer, transaction);
            using var view = new SqliteCommand("INSERT OR REPLACE INTO consensus VALUES ($s, $p, $o, 1.0)", peer, transaction);
            foreach (var row in NewRows(run, round))
            {
                var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{row.Subject}/{row.Predicate}/{row.Object}"));
                Reads.InsertPeerRow(insert, view, hash, row.Subject, row.Predicate, row.Object, "busy-writer", 0);
            }
            transaction.Commit();
        });
    }

    private static IEnumerable<(string Subject, string Predicate, long Object)> NewRows(string run, int round) =>
        Enumerable.Range(0, RowsPerWrite).Select(i => (
            $"busy-{run}-{round.ToString(CultureInfo.InvariantCulture)}-{(i / 4).ToString(CultureInfo.InvariantCulture)}",
            "p" + (i % 4).ToString(CultureInfo.InvariantCulture), (long)i));

    /// <summary>Stops the writer and waits for its current write to finish.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _task.Wait();
        _stop.Dispose();
        _connection.Dispose();
    }
}
