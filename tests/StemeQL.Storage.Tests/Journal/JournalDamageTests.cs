using Microsoft.Data.Sqlite;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Journal;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests.Journal;

/// <summary>
/// Fault injection through the store: a store whose views are behind its journal (30 assertions applied,
/// 60 acknowledged in the journal alone, small segments), then one kind of damage. Each either opens with
/// every acknowledged write, or refuses with JournalDamaged naming the file; salvage keeps every valid frame.
/// </summary>
public sealed class JournalDamageTests : IDisposable
{
    private const int Applied = 30;
    private const int Pending = 60;
    private const int Total = Applied + Pending;
    private static readonly JournalOptions SmallSegments = new() { SegmentBytes = 1024, Fsync = false };

    private readonly TempFolder _folder = new();
    private readonly List<ContentHash> _hashes = [];

    public void Dispose() => _folder.Dispose();

    private string JournalDir => Path.Combine(_folder.Path, WritePath.JournalFolder);

    private EmbeddedStore Open(RecoveryMode mode = RecoveryMode.Normal, bool paused = false) =>
        EmbeddedStore.Open(_folder.Path, EmbeddedStoreOptions.Default with { Journal = SmallSegments, Recovery = mode, IngestorPaused = paused });

    // recorded: the store has recorded every LSN as durable, as the ingestor does while it runs behind the
    // journal (every open applies the whole journal, so only a crash leaves that state; it is written here).
    private void Build(bool recorded = true)
    {
        using (var store = Open())
        {
            Write(store, Applied);
            store.WaitForMaterialized(Applied, CancellationToken.None);
        }
        using (var store = Open(paused: true))
        {
            Write(store, Pending);
        }

        if (recorded) RecordDurable(Total);
        Assert.True(Segments().Length >= 4, "the journal should span several segments: " + string.Join(", ", Segments().Select(s => Path.GetFileName(s) + " " + new FileInfo(s).Length)));
    }

    private void RecordDurable(long lsn)
    {
        SqliteRuntime.EnsureInitialised();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, EmbeddedStore.DatabaseFileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"UPDATE meta SET value = '{lsn}' WHERE key = '{WatermarkTable.DurableKey}'";
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private long RecordedDurable()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, EmbeddedStore.DatabaseFileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT value FROM meta WHERE key = '{WatermarkTable.DurableKey}'";
        return long.Parse((string)command.ExecuteScalar()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private void Write(EmbeddedStore store, int count)
    {
        for (int i = 0; i < count; i++) _hashes.Add(Acknowledged(store, "subject" + _hashes.Count));
    }

    // Acknowledged once durable; a paused ingestor never makes it visible, so this does not wait for that.
    private static ContentHash Acknowledged(EmbeddedStore store, string subject)
    {
        var outcome = (AssertOutcome)store.Write([new AssertOperation(A(subject, "p", "value of " + subject))])[0];
        return outcome.Hash;
    }

    private static long LsnOfNewWrite(EmbeddedStore store, string subject) => store.Write([new AssertOperation(A(subject, "p", "o"))])[0].Lsn;

    private string[] Segments() => J.SegmentPaths(JournalDir);

    private static List<(long Offset, long FirstLsn, long LastLsn)> Frames(string path)
    {
        using var file = PhysicalJournalFileSystem.Instance.OpenRead(path);
        var scanner = new SegmentScanner(file);
        JournalFormat.TryParseSegmentName(Path.GetFileName(path), out long first);
        Assert.Equal(ScanStatus.Ok, scanner.ReadHeader(path, first));
        var frames = new List<(long, long, long)>();
        long offset = scanner.Offset;
        while (scanner.Next(validateOps: false, out _, out long lsn, out int count) == ScanStatus.Ok)
        {
            frames.Add((offset, lsn, lsn + count - 1));
            offset = scanner.Offset;
        }
        return frames;
    }

    // The segment and frame holding LSN lsn.
    private (string Path, long Offset) FrameOf(long lsn)
    {
        foreach (var segment in Segments())
            foreach (var frame in Frames(segment))
                if (frame.FirstLsn <= lsn && lsn <= frame.LastLsn) return (segment, frame.Offset);
        throw new InvalidOperationException($"LSN {lsn} is not in the journal");
    }

    private static void FlipByte(string path, long offset)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
    }

    private void OpensWithEverything(string? recoveredContains = null)
    {
        using var store = Open();
        Assert.All(_hashes, hash => Assert.True(store.Contains(hash), $"{hash} was lost"));
        var status = store.Status;
        Assert.Equal(Total, status.DurableLsn);
        if (recoveredContains is null) Assert.Null(status.Recovered);
        else Assert.Contains(recoveredContains, status.Recovered);
        Assert.Equal(Total + 1, LsnOfNewWrite(store, "after"));
    }

    private void RefusesNaming(string file, string? detail = null)
    {
        var error = Assert.Throws<StemeException>(() => Open());
        Assert.Equal(StemeErrorCode.JournalDamaged, error.ErrorCode);
        Assert.Contains(file, error.Message);
        if (detail is not null) Assert.Contains(detail, error.Message);
        Assert.Contains("steme recover --salvage", error.Message);
        // Refusing changed nothing: it refuses again.
        Assert.Equal(StemeErrorCode.JournalDamaged, Assert.Throws<StemeException>(() => Open()).ErrorCode);
    }

    [Fact]
    public void A_flipped_byte_in_an_applied_frame_costs_nothing()
    {
        Build();
        var (path, offset) = FrameOf(Applied - 1);
        Assert.Equal(path, FrameOf(Applied + 1).Path);   // the segment still holds frames to replay
        FlipByte(path, offset + 20);
        OpensWithEverything(recoveredContains: "in frames the store had already applied");
    }

    [Fact]
    public void A_flipped_byte_in_the_first_unapplied_frame_refuses_to_open()
    {
        Build();
        var (path, offset) = FrameOf(Applied + 1);
        FlipByte(path, offset + 20);
        RefusesNaming(Path.GetFileName(path), $"damaged at offset {offset}");
    }

    [Fact]
    public void A_flipped_byte_in_a_middle_frame_of_the_newest_segment_refuses_to_open()
    {
        Build();
        var newest = Segments()[^1];
        var frames = Frames(newest);
        Assert.True(frames.Count >= 3);
        FlipByte(newest, frames[1].Offset + 20);
        RefusesNaming(Path.GetFileName(newest), $"LSN {frames[1].FirstLsn}-{frames[1].LastLsn} cannot be read");
    }

    [Fact]
    public void A_torn_tail_is_cut_silently_and_reported()
    {
        Build(recorded: false);
        var newest = Segments()[^1];
        var last = Frames(newest)[^1];
        long length = new FileInfo(newest).Length;
        using (var file = new FileStream(newest, FileMode.Open)) file.SetLength(length - 3);
        _hashes.RemoveAt(_hashes.Count - 1);   // the crash tore the last write: it was never acknowledged

        using var store = Open();
        Assert.All(_hashes, hash => Assert.True(store.Contains(hash)));
        Assert.Equal(Total - 1, store.Status.DurableLsn);
        Assert.Contains($"cut a torn tail of {Path.GetFileName(newest)} at offset {last.Offset}", store.Status.Recovered);
    }

    [Fact]
    public void A_torn_tail_of_writes_the_store_recorded_as_durable_refuses_to_open()
    {
        Build();
        var newest = Segments()[^1];
        using (var file = new FileStream(newest, FileMode.Open)) file.SetLength(new FileInfo(newest).Length - 3);
        RefusesNaming("the store recorded LSN 90 as durable, but the journal ends at LSN 89");
    }

    [Fact]
    public void A_bad_segment_header_refuses_to_open()
    {
        Build();
        var segment = Segments()[^2];
        FlipByte(segment, 3);
        RefusesNaming(Path.GetFileName(segment), "damaged header");
    }

    [Theory]
    [InlineData("first")]
    [InlineData("middle")]
    [InlineData("newest")]
    public void A_deleted_segment_refuses_to_open(string which)
    {
        Build();
        var segments = Segments();
        var victim = which switch { "first" => segments[0], "middle" => segments[segments.Length / 2], _ => segments[^1] };
        File.Delete(victim);
        var error = Assert.Throws<StemeException>(() => Open());
        Assert.Equal(StemeErrorCode.JournalDamaged, error.ErrorCode);
        Assert.Contains("missing", error.Message);
    }

    // The store records what is durable only when it ingests, so it can be far behind the journal (a bulk load
    // outruns the ingestor); the seal on the segment before shows that the deleted one existed.
    [Fact]
    public void A_deleted_newest_segment_refuses_to_open_though_the_store_never_recorded_its_writes()
    {
        Build(recorded: false);
        Assert.True(RecordedDurable() < Total);
        var newest = Segments()[^1];
        File.Delete(newest);
        RefusesNaming(Path.GetFileName(newest), "the newest segment was deleted");

        long first = long.Parse(Path.GetFileNameWithoutExtension(newest), System.Globalization.CultureInfo.InvariantCulture);
        using var store = Open(RecoveryMode.Salvage);
        Assert.Contains($"the newest segment (from LSN {first}) had been deleted", store.Status.Recovered);
        Assert.All(_hashes.Take((int)first - 1), hash => Assert.True(store.Contains(hash)));
        // Past every LSN the deleted segment could have handed out.
        Assert.True(LsnOfNewWrite(store, "after salvage") > first + JournalFormat.MaxPayloadLength / JournalFormat.MinOpLength - 1);
    }

    [Fact]
    public void Swapped_segment_names_refuse_to_open()
    {
        Build();
        var segments = Segments();
        File.Move(segments[1], segments[1] + ".swap");
        File.Move(segments[2], segments[1]);
        File.Move(segments[1] + ".swap", segments[2]);
        RefusesNaming(Path.GetFileName(segments[1]), "the file name says");
    }

    [Fact]
    public void A_truncated_middle_segment_refuses_to_open()
    {
        Build();
        var segment = Segments()[1];
        using (var file = new FileStream(segment, FileMode.Open)) file.SetLength(file.Length / 2);
        RefusesNaming(Path.GetFileName(segment));
    }

    [Fact]
    public void A_deleted_journal_folder_refuses_to_open_when_writes_were_not_applied()
    {
        Build();
        Directory.Delete(JournalDir, recursive: true);
        RefusesNaming("the store recorded LSN 90 as durable, but the journal ends at LSN 0 and the store has applied only up to LSN 30");
    }

    [Fact]
    public void A_deleted_journal_folder_costs_nothing_when_everything_was_applied_and_lsns_go_on()
    {
        using (var store = Open())
        {
            Write(store, Applied);
            store.WaitForMaterialized(Applied, CancellationToken.None);
        }
        Directory.Delete(JournalDir, recursive: true);
        using var reopened = Open();
        Assert.All(_hashes, hash => Assert.True(reopened.Contains(hash)));
        Assert.Equal(Applied + 1, LsnOfNewWrite(reopened, "after"));
    }

    [Fact]
    public void Salvage_keeps_every_valid_frame_after_the_damage_reports_the_lost_lsns_and_never_reuses_them()
    {
        Build();
        long victim = Applied + 20;
        var (path, offset) = FrameOf(victim);
        FlipByte(path, offset + 20);
        Assert.Equal(StemeErrorCode.JournalDamaged, Assert.Throws<StemeException>(() => Open()).ErrorCode);

        using (var store = Open(RecoveryMode.Salvage))
        {
            for (int i = 0; i < Total; i++)
                Assert.Equal(i + 1 != victim, store.Contains(_hashes[i]));
            Assert.Contains($"salvage lost LSN {victim} (1 in all)", store.Status.Recovered);
            Assert.Equal(Total + 1, LsnOfNewWrite(store, "after salvage"));
        }
        using var reopened = Open();   // the rewritten journal opens normally
        Assert.Null(reopened.Status.Recovered);
        Assert.Equal(Total + 2, LsnOfNewWrite(reopened, "later"));
    }

    [Fact]
    public void Salvage_of_a_deleted_newest_segment_gives_new_writes_lsns_above_everything_durable()
    {
        Build();
        var newest = Segments()[^1];
        long first = Frames(newest)[0].FirstLsn;
        File.Delete(newest);

        using var store = Open(RecoveryMode.Salvage);
        Assert.Contains($"salvage lost LSN {first}-{Total}", store.Status.Recovered);
        // The sealed segment before it shows the deleted one existed: new LSNs start past any it could have held.
        Assert.Equal(first + JournalFormat.MaxPayloadLength / JournalFormat.MinOpLength, LsnOfNewWrite(store, "after salvage"));
    }

    // The ledger holds all 90 writes and the views only the first 30, as a crash between a chunk's two stages
    // leaves a store; the journal still holds the frames of the 60 (it is put back as it was before they were applied).
    private void BuildViewsBehindLedger()
    {
        using (var store = Open())
        {
            Write(store, Applied);
            store.WaitForMaterialized(Applied, CancellationToken.None);
        }
        foreach (var table in LedgerFold.ViewTables) Sql($"CREATE TABLE snap_{table} AS SELECT * FROM {table}");
        using (var store = Open(paused: true))
        {
            Write(store, Pending - 2);
            // Votes on an assertion of their own chunk and on an older one, which the views fold from the ledger too.
            store.Write([new VoteOperation(new Vote(_hashes[^1], "voter", 0.5))]);
            store.Write([new VoteOperation(new Vote(_hashes[0], "voter", 0.25))]);
        }
        var journal = Segments().ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);
        using (var store = Open()) store.WaitForMaterialized(Total, CancellationToken.None);
        foreach (var table in LedgerFold.ViewTables)
            Sql($"DELETE FROM {table}; INSERT INTO {table} SELECT * FROM snap_{table}; DROP TABLE snap_{table}");
        Sql($"UPDATE meta SET value = '{Applied}' WHERE key = '{WatermarkTable.MaterializedKey}'");
        foreach (var segment in Segments()) File.Delete(segment);
        foreach (var (name, bytes) in journal) File.WriteAllBytes(Path.Combine(JournalDir, name), bytes);
        Assert.Contains(Segments(), path => Frames(path).Exists(f => f.FirstLsn <= Applied + 1 && Applied + 1 <= f.LastLsn));
    }

    private void Sql(string sql)
    {
        SqliteRuntime.EnsureInitialised();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, EmbeddedStore.DatabaseFileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void ViewsHoldEveryWrite(EmbeddedStore store)
    {
        store.WaitForMaterialized(Total, CancellationToken.None);
        var report = store.CheckIntegrity(false, null, CancellationToken.None);
        Assert.True(report.IsSound, string.Join("\n", report.Problems.Select(p => p.Detail)));
        Assert.Equal(Total, store.Status.MaterializedLsn);
    }

    [Fact]
    public void Views_behind_the_ledger_catch_up_from_the_ledger()
    {
        BuildViewsBehindLedger();
        using var store = Open();
        Assert.All(_hashes, hash => Assert.True(store.Contains(hash)));
        Assert.Null(store.Status.Recovered);
        ViewsHoldEveryWrite(store);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_flipped_byte_in_a_frame_the_ledger_holds_but_the_views_do_not_costs_nothing(bool salvage)
    {
        var mode = salvage ? RecoveryMode.Salvage : RecoveryMode.Normal;
        BuildViewsBehindLedger();
        var (path, offset) = FrameOf(Applied + 1);
        FlipByte(path, offset + 20);

        using (var store = Open(mode))
        {
            Assert.All(_hashes, hash => Assert.True(store.Contains(hash)));
            // Recovery need not even read a segment whose frames the ledger holds all of.
            Assert.DoesNotContain("lost", store.Status.Recovered ?? "");
            ViewsHoldEveryWrite(store);
            Assert.Equal(Total + 1, LsnOfNewWrite(store, "after"));
        }
        using var reopened = Open();
        Assert.Null(reopened.Status.Recovered);
    }

    [Fact]
    public void The_store_records_what_was_durable_when_it_ingests_and_when_it_opens()
    {
        using (var store = Open())
        {
            Write(store, 5);
            store.WaitForMaterialized(5, CancellationToken.None);
            Assert.Equal(5, RecordedDurable());   // written by the ingestor, in its transaction
        }
        using (var store = Open(paused: true)) Write(store, 3);
        Assert.Equal(5, RecordedDurable());
        using (Open(paused: true)) Assert.Equal(8, RecordedDurable());   // the open found LSN 8 in the journal
    }
}
