namespace StemeQL.Storage.Journal;

/// <summary>
/// Judges the surveyed segments against what the store holds: which damage loses acknowledged writes
/// (<see cref="Damage"/>), which lies in frames the store already applied and costs nothing
/// (<see cref="Notes"/>, and the journal must be rewritten without it so readers never meet it), and
/// where the valid journal ends. A torn tail of the newest segment is neither: recovery cuts it.
/// </summary>
internal sealed class RecoveryCheck
{
    /// <summary>Each piece of damage that loses LSNs the store does not hold, with its file and offset.</summary>
    public List<string> Damage { get; } = [];

    /// <summary>What was found and costs nothing.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>True when damage in applied frames sits in a segment readers still open.</summary>
    public bool NeedsRewrite { get; private set; }

    /// <summary>
    /// A torn seal to cut: the segment before the newest ends in a torn write while the newest has no frame, which
    /// only a crash while the writer sealed the segment it was leaving can leave (it syncs a segment's frames first).
    /// </summary>
    public BadRegion? TornSeal { get; private set; }

    /// <summary>The segment <see cref="TornSeal"/> is in.</summary>
    public SegmentSurvey? TornSealSegment { get; private set; }

    /// <summary>The last LSN of the valid journal (after a torn tail is cut).</summary>
    public long LastLsn { get; private set; }

    public static RecoveryCheck Run(IReadOnlyList<SegmentSurvey> surveys, StoreMarks marks)
    {
        var check = new RecoveryCheck();
        long applied = marks.Applied;
        long? previousNext = null;      // the LSN the next segment must start with
        string? previousName = null;
        long last = surveys.Count > 0 ? surveys[0].NameLsn - 1 : 0;
        for (int k = 0; k < surveys.Count; k++)
        {
            var s = surveys[k];
            bool newest = k == surveys.Count - 1;
            if (s.Header is not { } header)
            {
                if (newest && s.Runs.Count == 0) break;   // a crash while creating it: recovery removes it
                check.Damage.Add($"segment {s.Name} has a damaged header ({s.HeaderProblem})"
                    + (s.Runs.Count > 0 ? $"; it holds valid frames from LSN {s.Runs[0].FirstLsn} to {s.Runs[^1].LastLsn}" : ""));
            }
            else
            {
                check.CheckContinuity(s, header, previousNext, previousName, applied);
            }
            bool sealing = k == surveys.Count - 2 && surveys[^1] is { Header: not null, Runs.Count: 0 };
            foreach (var bad in s.Bad)
            {
                // Only a seal's bytes: every LSN before the new segment was read, and no more than a seal is left.
                if (sealing && bad == s.Bad[^1] && bad.ResumeOffset is null && bad.ExpectedLsn == surveys[^1].NameLsn
                    && s.Length - bad.Offset <= JournalFormat.SealFrameLength)
                {
                    (check.TornSeal, check.TornSealSegment) = (bad, s);
                    check.Notes.Add($"cut a torn seal of {s.Name} at offset {bad.Offset} (a crash while the writer started {surveys[^1].Name}; nothing lost)");
                    continue;
                }
                check.Judge(s, bad, newest, applied);
            }
            if (s.NextLsn > 0)
            {
                previousNext = s.NextLsn;
                last = Math.Max(last, s.NextLsn - 1);
            }
            previousName = s.Name;
        }
        check.LastLsn = last;
        if (surveys.Count > 0 && surveys[^1].SealedNext is long missing)
        {
            check.Damage.Add($"segment {surveys[^1].Name} was closed when the writer started segment {JournalFormat.SegmentName(missing)} (from LSN {missing}), "
                + "but that segment is missing: the newest segment was deleted, with every write it held");
        }
        long end = Math.Max(last, applied);
        if (marks.Durable > end)
        {
            check.Damage.Add($"the store recorded LSN {marks.Durable} as durable, but the journal ends at LSN {last}"
                + (applied > 0 ? $" and the store has applied only up to LSN {applied}" : "")
                + $", so LSN {end + 1}-{marks.Durable} are missing (the newest segment was deleted or cut short, or the journal folder was removed)");
        }
        return check;
    }

    private void CheckContinuity(SegmentSurvey s, SegmentHeader header, long? previousNext, string? previousName, long applied)
    {
        long first = header.FirstLsn;
        if (previousNext is long next && first < next)
        {
            Damage.Add($"segment {s.Name} starts at LSN {first}, but {previousName} already reaches LSN {next - 1}: segments are out of order or were renamed");
            return;
        }
        long from = previousNext ?? applied + 1;
        if (first <= from || header.Discontinuous) return;
        long lostFrom = Math.Max(from, applied + 1);
        if (first - 1 < lostFrom) return;   // only LSNs the store already applied are missing
        Damage.Add(previousNext is null
            ? $"the journal starts at LSN {first} (segment {s.Name}), but the store has applied only up to LSN {applied}, so LSN {lostFrom}-{first - 1} are missing (a segment was deleted?)"
            : $"LSN {lostFrom}-{first - 1} are missing between segments {previousName} and {s.Name} (a segment was deleted?)");
    }

    private void Judge(SegmentSurvey s, BadRegion bad, bool newest, long applied)
    {
        string where = $"segment {s.Name} is damaged at offset {bad.Offset} ({bad.Problem})";
        if (bad is { ResumeOffset: long resumeOffset, ResumeLsn: long resume })
        {
            bool needed = bad.ExpectedLsn > applied || resume - 1 > applied || resume < bad.ExpectedLsn;
            if (needed)
            {
                Damage.Add($"{where}; valid frames resume at offset {resumeOffset} with LSN {resume}"
                    + (resume > bad.ExpectedLsn ? $", so LSN {Math.Max(bad.ExpectedLsn, applied + 1)}-{resume - 1} cannot be read" : ""));
            }
            else
            {
                Notes.Add($"{where}, in frames the store had already applied (LSN {bad.ExpectedLsn}-{resume - 1}): nothing lost, the journal was rewritten without them");
                NeedsRewrite = true;
            }
            return;
        }
        if (newest) return;   // the torn tail of the newest segment: recovery cuts it
        if (bad.ExpectedLsn > applied)
        {
            Damage.Add($"{where} to its end, so its LSNs from {bad.ExpectedLsn} on cannot be read");
        }
        else
        {
            Notes.Add($"{where} to its end, in frames the store had already applied (from LSN {bad.ExpectedLsn}): nothing lost, the journal was rewritten without them");
            NeedsRewrite = true;
        }
    }
}
