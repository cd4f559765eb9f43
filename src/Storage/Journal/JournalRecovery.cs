using StemeQL.Storage.Embedded;

namespace StemeQL.Storage.Journal;

/// <summary>
/// Checks the journal when a store opens and decides what may be cut. Frames are only appended at the
/// tail, so a crash can tear only the end of the newest segment: that torn tail (bytes with no valid frame
/// after them) is cut silently and reported. Any other damage — a bad frame with valid frames after it, a
/// bad header, a missing or out-of-order segment, a journal that ends before what the store knows was
/// durable — would lose acknowledged writes, so open fails with <see cref="StemeErrorCode.JournalDamaged"/>
/// and nothing is changed, unless it lies entirely in frames the store has already applied (those are never
/// needed again). <see cref="RecoveryMode.Salvage"/> instead keeps every valid frame, rewrites the journal
/// and reports the LSNs lost.
/// </summary>
internal static class JournalRecovery
{
    /// <summary>
    /// Recovers a journal on its own, in normal mode: it may start at any LSN (earlier segments were
    /// applied and recycled), and nothing beyond it is known durable.
    /// </summary>
    public static JournalRecoveryResult Recover(IJournalFileSystem fs, string directory) =>
        Recover(fs, directory, null, RecoveryMode.Normal, new JournalOptions().SegmentBytes);

    /// <summary>
    /// Recovers the journal of a store that holds <paramref name="marks"/> (null: a journal on its own).
    /// Throws <see cref="StemeErrorCode.JournalDamaged"/> in normal mode when damage would lose acknowledged writes.
    /// </summary>
    public static JournalRecoveryResult Recover(IJournalFileSystem fs, string directory, StoreMarks? marks, RecoveryMode mode, long segmentBytes)
    {
        ArgumentNullException.ThrowIfNull(fs);
        ArgumentNullException.ThrowIfNull(directory);
        try
        {
            return RecoverCore(fs, directory, marks, mode, segmentBytes);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // A permission, a read-only file system or a full disk is named as such (with the file in the message).
            if (StorageErrors.CauseOf(error) is { } cause and not StemeErrorCode.DatabaseLocked)
                throw StorageErrors.For(cause, JournalFormat.DataFolderOf(directory), $"recovering the journal at '{directory}'", error);
            throw new StemeException(StemeErrorCode.StorageFailure,
                $"The journal at '{directory}' could not be recovered ({error.Message}): fix the disk problem (space, permissions) and reopen the database.",
                error);
        }
    }

    private static JournalRecoveryResult RecoverCore(IJournalFileSystem fs, string directory, StoreMarks? storeMarks, RecoveryMode mode, long segmentBytes)
    {
        fs.CreateDirectory(directory);
        var names = fs.ListSegments(directory);
        var firsts = names.Select(name => JournalFormat.TryParseSegmentName(name, out long lsn) ? lsn : 0).ToArray();
        var marks = storeMarks ?? new StoreMarks(firsts.Length > 0 ? firsts[0] - 1 : 0, 0);
        // Segments whose LSNs (by the next one's name) are all applied are not read: they are not needed.
        int start = 0;
        while (start < names.Count - 1 && firsts[start + 1] - 1 <= marks.Applied) start++;
        var surveys = new List<SegmentSurvey>();
        for (int i = start; i < names.Count; i++) surveys.Add(SegmentSurvey.Read(fs, directory, names[i]));

        var check = RecoveryCheck.Run(surveys, marks);
        if (check.Damage.Count > 0 && mode == RecoveryMode.Normal) throw Damaged(directory, check.Damage);
        if (check.Damage.Count > 0 || check.NeedsRewrite)
        {
            var salvage = JournalSalvage.Rewrite(fs, directory, surveys, marks, segmentBytes);
            var notes = check.Notes.Concat(salvage.Notes);
            return new JournalRecoveryResult(salvage.LastLsn, 0, salvage.Segments, string.Join("; ", notes), salvage.NextLsn, salvage.Lost);
        }

        long truncated = CutTail(fs, directory, surveys, check.Notes) + CutTornSeal(fs, check);
        long next = Math.Max(Math.Max(check.LastLsn, marks.Applied), marks.Durable) + 1;
        int kept = names.Count - (surveys.Count > 0 && surveys[^1].Header is null ? 1 : 0);
        return new JournalRecoveryResult(check.LastLsn, truncated, kept,
            check.Notes.Count == 0 ? null : string.Join("; ", check.Notes), next, []);
    }

    // Cuts the newest segment's torn tail (or removes it when even its header is torn).
    private static long CutTail(IJournalFileSystem fs, string directory, List<SegmentSurvey> surveys, List<string> notes)
    {
        if (surveys.Count == 0) return 0;
        var newest = surveys[^1];
        if (newest.Header is null)
        {
            fs.Delete(newest.Path);
            fs.SyncDirectory(directory);
            notes.Add($"removed the newest segment {newest.Name} ({newest.Length} bytes): {newest.HeaderProblem}, and it holds no frame (a crash while it was created)");
            return newest.Length;
        }
        if (newest.Bad.Count == 0 || newest.Bad[^1].ResumeOffset is not null) return 0;
        var tail = newest.Bad[^1];
        long cut = newest.Length - tail.Offset;
        using (var file = fs.Open(newest.Path))
        {
            file.Truncate(tail.Offset);
            file.Sync();
        }
        notes.Add($"cut a torn tail of {newest.Name} at offset {tail.Offset} ({cut} bytes from LSN {tail.ExpectedLsn}, never acknowledged: {tail.Problem})");
        return cut;
    }

    private static long CutTornSeal(IJournalFileSystem fs, RecoveryCheck check)
    {
        if (check is not { TornSeal: { } seal, TornSealSegment: { } segment }) return 0;
        using var file = fs.Open(segment.Path);
        file.Truncate(seal.Offset);
        file.Sync();
        return segment.Length - seal.Offset;
    }

    private static StemeException Damaged(string directory, IReadOnlyList<string> damage)
    {
        string what = string.Join("; ", damage.Take(3)) + (damage.Count > 3 ? $"; and {damage.Count - 3} more" : "");
        string folder = JournalFormat.DataFolderOf(directory);
        return new StemeException(StemeErrorCode.JournalDamaged,
            $"The journal at '{directory}' is damaged where acknowledged writes that are not yet in the store live: {what}. " +
            "Nothing was changed. Restore the data folder from a backup; or keep every intact write and lose only the damaged ones with " +
            $"`steme recover --salvage \"{folder}\"` (or open once with Recovery=Salvage), which reports exactly which LSNs were lost.");
    }
}
