using System.Buffers.Binary;
using System.Globalization;

namespace StemeQL.Storage.Journal;

/// <summary>
/// Rewrites a damaged journal from its valid frames: every frame above the store's applied watermark,
/// in LSN order, each LSN once, into fresh segments (a gap starts a new segment flagged discontinuous,
/// so the result is a valid journal), then swaps the folders. The damaged journal is kept beside it
/// (<c>journal.damaged-…</c>) and never deleted; what is missing is reported LSN by LSN.
/// </summary>
internal static class JournalSalvage
{
    public sealed record Outcome(long LastLsn, long NextLsn, int Segments, IReadOnlyList<LsnRange> Lost, IReadOnlyList<string> Notes);

    public static Outcome Rewrite(IJournalFileSystem fs, string directory, IReadOnlyList<SegmentSurvey> surveys, StoreMarks marks, long segmentBytes)
    {
        string journal = Path.TrimEndingDirectorySeparator(directory);
        string staging = journal + ".salvage";
        fs.CreateDirectory(staging);
        foreach (var leftover in fs.ListSegments(staging)) fs.Delete(Path.Combine(staging, leftover));

        var lost = new List<LsnRange>();
        long expected = marks.Applied + 1;
        using (var output = new Output(fs, staging, segmentBytes, expected))
        {
            foreach (var run in surveys.SelectMany(s => s.Runs).OrderBy(r => r.FirstLsn))
            {
                if (run.LastLsn < expected) continue;
                using var file = fs.OpenRead(run.Path);
                var scanner = new SegmentScanner(file);
                scanner.PositionAt(run.Start, run.FirstLsn);
                while (scanner.Offset < run.End && scanner.Next(validateOps: false, out var payload, out long first, out int count) == ScanStatus.Ok)
                {
                    if (first < expected) continue;   // applied, or a copy of LSNs already kept
                    if (first > expected) lost.Add(new LsnRange(expected, first - 1));
                    output.Append(payload.Span, first, continuous: first == expected);
                    expected = first + count;
                }
            }
            if (marks.Durable >= expected) lost.Add(new LsnRange(expected, marks.Durable));
            long next = Math.Max(expected, marks.Durable + 1);
            long? deletedFrom = surveys.Count > 0 ? surveys[^1].SealedNext : null;
            // A deleted newest segment may have held acknowledged LSNs nobody recorded: new writes start past the
            // most it could hold (each op takes at least MinOpLength bytes), so no LSN a caller was given is reused.
            if (deletedFrom is long gone) next = Math.Max(next, gone + Math.Max(segmentBytes, JournalFormat.MaxPayloadLength) / JournalFormat.MinOpLength);
            output.Finish(next);

            string damaged = journal + ".damaged-" + DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
            fs.MoveDirectory(journal, damaged);
            fs.MoveDirectory(staging, journal);
            fs.SyncDirectory(Path.GetDirectoryName(journal) ?? ".");

            var notes = new List<string>
            {
                lost.Count == 0
                    ? "no acknowledged LSN was lost"
                    : $"salvage lost LSN {string.Join(", ", lost)} ({lost.Sum(r => r.Count)} in all)",
                $"the journal was rewritten from its valid frames; the damaged one is kept in '{damaged}'",
            };
            if (deletedFrom is long from)
                notes.Add($"the newest segment (from LSN {from}) had been deleted: the writes it held that the store had not recorded are lost too and cannot be counted; new writes start at LSN {next}, past any it could have held");
            return new Outcome(next - 1, next, output.Segments, lost, notes);
        }
    }

    // Writes frames into new segments; a frame that does not continue the previous one starts a discontinuous segment.
    private sealed class Output(IJournalFileSystem fs, string directory, long segmentBytes, long firstExpected) : IDisposable
    {
        private IJournalFile? _file;
        private long _length;
        private long _next = firstExpected;

        public int Segments { get; private set; }

        public void Append(ReadOnlySpan<byte> payload, long firstLsn, bool continuous)
        {
            if (_file is null || !continuous) Start(firstLsn, discontinuous: !continuous);
            else if (_length > JournalFormat.HeaderSize && _length + JournalFormat.FrameHeaderSize + payload.Length > segmentBytes) Start(firstLsn, discontinuous: false);
            var frame = new byte[JournalFormat.FrameHeaderSize + payload.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), Crc32C.Compute(payload));
            payload.CopyTo(frame.AsSpan(JournalFormat.FrameHeaderSize));
            _file!.Append(frame);
            _length += frame.Length;
            JournalCodec.TryReadPayloadHeader(payload, out _, out int count);
            _next = firstLsn + count;
        }

        /// <summary>Ends the journal so that the writer continues at <paramref name="nextLsn"/>.</summary>
        public void Finish(long nextLsn)
        {
            if (_file is null || nextLsn != _next) Start(nextLsn, discontinuous: nextLsn != _next);
            Close();
            fs.SyncDirectory(directory);
        }

        // The previous segment is sealed as the writer seals it (the new journal is swapped in only when complete).
        private void Start(long firstLsn, bool discontinuous)
        {
            _file?.Append(JournalFormat.SealFrame(firstLsn));
            Close();
            _file = fs.Create(Path.Combine(directory, JournalFormat.SegmentName(firstLsn)));
            Span<byte> header = stackalloc byte[JournalFormat.HeaderSize];
            JournalFormat.WriteHeader(header, firstLsn, discontinuous);
            _file.Append(header);
            _length = JournalFormat.HeaderSize;
            _next = firstLsn;
            Segments++;
        }

        private void Close()
        {
            if (_file is null) return;
            _file.Sync();
            _file.Dispose();
            _file = null;
        }

        public void Dispose() => Close();
    }
}
