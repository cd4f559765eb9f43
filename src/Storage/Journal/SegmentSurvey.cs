namespace StemeQL.Storage.Journal;

/// <summary>A stretch of consecutive valid frames in one segment: bytes [Start, End), LSNs FirstLsn..LastLsn.</summary>
internal sealed record FrameRun(string Path, long Start, long End, long FirstLsn, long LastLsn);

/// <summary>
/// Invalid bytes in a segment, starting at <paramref name="Offset"/> where LSN <paramref name="ExpectedLsn"/>
/// was due. <paramref name="ResumeOffset"/>/<paramref name="ResumeLsn"/> locate the next valid frame, or are
/// null when nothing valid follows in the segment.
/// </summary>
internal sealed record BadRegion(long Offset, string Problem, long ExpectedLsn, long? ResumeOffset, long? ResumeLsn);

/// <summary>
/// What one segment holds, read front to back without changing it: its header (or what is wrong with it),
/// its runs of valid frames and its damaged stretches. After damage the scan resynchronises on the next
/// valid frame, so nothing valid is missed.
/// </summary>
internal sealed class SegmentSurvey
{
    private SegmentSurvey(string name, string path, long nameLsn, long length)
    {
        (Name, Path, NameLsn, Length) = (name, path, nameLsn, length);
    }

    public string Name { get; }

    public string Path { get; }

    /// <summary>The first LSN the file name promises.</summary>
    public long NameLsn { get; }

    public long Length { get; }

    /// <summary>The header, or null when it is torn or damaged (see <see cref="HeaderProblem"/>).</summary>
    public SegmentHeader? Header { get; private set; }

    public string? HeaderProblem { get; private set; }

    public List<FrameRun> Runs { get; } = [];

    public List<BadRegion> Bad { get; } = [];

    /// <summary>The LSN after the last valid frame (for a segment without frames, its first LSN); 0 when unknown.</summary>
    public long NextLsn { get; private set; }

    /// <summary>The first LSN of the next segment, when this one ends in a seal (the writer had started that segment).</summary>
    public long? SealedNext { get; private set; }

    /// <summary>The end of the last valid frame (or of the header): where a torn tail starts.</summary>
    public long ValidEnd { get; private set; }

    public static SegmentSurvey Read(IJournalFileSystem fs, string directory, string name)
    {
        JournalFormat.TryParseSegmentName(name, out long nameLsn);
        var path = System.IO.Path.Combine(directory, name);
        using var file = fs.OpenRead(path);
        var scanner = new SegmentScanner(file);
        var survey = new SegmentSurvey(name, path, nameLsn, scanner.Length);
        survey.Scan(scanner, path, nameLsn);
        return survey;
    }

    private void Scan(SegmentScanner scanner, string path, long nameLsn)
    {
        if (scanner.ReadHeader(path, nameLsn) == ScanStatus.Ok)
        {
            Header = scanner.Header;
            NextLsn = scanner.NextLsn;
            ValidEnd = scanner.Offset;
        }
        else
        {
            HeaderProblem = scanner.Problem;
            if (!scanner.TryResync(JournalFormat.HeaderSize)) return;
        }
        long lastResync = -1;
        while (true)
        {
            long offset = scanner.Offset;
            long expected = scanner.NextLsn;
            var status = scanner.Next(validateOps: true, out _, out long firstLsn, out int count);
            if (status == ScanStatus.End)
            {
                SealedNext = scanner.SealedNext;
                return;
            }
            if (status == ScanStatus.Ok)
            {
                Add(offset, scanner.Offset, firstLsn, firstLsn + count - 1);
                continue;
            }
            string problem = scanner.Problem!;
            // A frame that is valid but not the LSN expected is found again at the same offset; never twice.
            long from = offset == lastResync ? offset + 1 : offset;
            if (!scanner.TryResync(from))
            {
                Bad.Add(new BadRegion(offset, problem, expected, null, null));
                return;
            }
            lastResync = scanner.Offset;
            Bad.Add(new BadRegion(offset, problem, expected, scanner.Offset, scanner.NextLsn));
        }
    }

    private void Add(long start, long end, long firstLsn, long lastLsn)
    {
        if (Runs.Count > 0 && Runs[^1] is { } run && run.End == start && run.LastLsn + 1 == firstLsn)
            Runs[^1] = run with { End = end, LastLsn = lastLsn };
        else
            Runs.Add(new FrameRun(Path, start, end, firstLsn, lastLsn));
        NextLsn = lastLsn + 1;
        ValidEnd = end;
    }
}
