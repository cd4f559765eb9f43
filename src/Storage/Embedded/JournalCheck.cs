using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Journal;

namespace StemeQL.Storage.Embedded;

/// <summary>
/// Verifies the journal's segment headers and frames (checksums, LSN continuity, decodable payloads)
/// by reading them only: it never truncates or deletes, whatever it finds. A torn last frame of the
/// newest segment is not reported: it is what a crash leaves, or a frame being appended right now.
/// </summary>
internal static class JournalCheck
{
    /// <summary>Scans every segment in <paramref name="directory"/>; returns the frames verified.</summary>
    public static long Scan(string directory, Action<IntegrityProblem> report, IProgress<IntegrityProgress>? progress, CancellationToken cancellation)
    {
        var fs = PhysicalJournalFileSystem.Instance;
        var names = fs.ListSegments(directory);
        long frames = 0;
        long? expected = null;
        for (int n = 0; n < names.Count; n++)
        {
            string name = names[n];
            bool newest = n == names.Count - 1;
            string path = Path.Combine(directory, name);
            if (!JournalFormat.TryParseSegmentName(name, out long nameLsn))
                continue;
            using var file = fs.OpenRead(path);
            var scanner = new SegmentScanner(file);
            var status = scanner.ReadHeader(path, nameLsn);
            if (status != ScanStatus.Ok)
            {
                if (!(newest && status == ScanStatus.Torn))
                    report(new IntegrityProblem(IntegrityKinds.Journal, nameLsn, null, $"segment {name}: {scanner.Problem}"));
                expected = null;
                continue;
            }
            if (expected is long next && scanner.Header.FirstLsn != next && !(scanner.Header.Discontinuous && scanner.Header.FirstLsn > next))
            {
                report(new IntegrityProblem(IntegrityKinds.Journal, scanner.Header.FirstLsn, null,
                    $"segment {name} starts at LSN {scanner.Header.FirstLsn}, but the previous segment ends at LSN {next - 1}"));
            }
            // Past the last frame of a segment that is followed by the next comes its seal, which a live writer may be
            // appending right now: it is read only in the newest segment, where a seal means its successor is missing.
            long? nextFirst = newest || !JournalFormat.TryParseSegmentName(names[n + 1], out long following) ? null : following;
            while (true)
            {
                if (scanner.NextLsn == nextFirst)
                {
                    status = ScanStatus.End;
                    break;
                }
                if ((status = scanner.Next(validateOps: true, out _, out _, out _)) != ScanStatus.Ok) break;
                cancellation.ThrowIfCancellationRequested();
                if (++frames % 10_000 == 0) progress?.Report(new IntegrityProgress("journal", frames));
            }
            if (status != ScanStatus.End && !(newest && status == ScanStatus.Torn))
            {
                report(new IntegrityProblem(IntegrityKinds.Journal, scanner.NextLsn, null,
                    $"segment {name}, offset {scanner.Offset} of {scanner.Length}: {scanner.Problem} (frames from LSN {scanner.NextLsn} on cannot be read)"));
            }
            if (newest && scanner.SealedNext is long sealedNext && !SegmentFrom(fs, directory, sealedNext))
            {
                report(new IntegrityProblem(IntegrityKinds.Journal, sealedNext, null,
                    $"segment {name} was closed when the writer started segment {JournalFormat.SegmentName(sealedNext)}, which is missing (the newest segment was deleted)"));
            }
            expected = scanner.NextLsn;
        }
        return frames;
    }

    // Listed again: a live writer may have started the next segment after the first listing.
    private static bool SegmentFrom(IJournalFileSystem fs, string directory, long firstLsn) =>
        fs.ListSegments(directory).Any(name => JournalFormat.TryParseSegmentName(name, out long lsn) && lsn >= firstLsn);
}
