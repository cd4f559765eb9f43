using System.Globalization;

namespace StemeQL.Tests.Durability;

/// <summary>
/// What a crash writer acknowledged, parsed from its stdout (line format in
/// tests/StemeQL.CrashWriter/Program.cs), and the write it may have had in flight when killed.
/// Accumulates over the runs of one test, so a later run is checked against everything earlier too.
/// </summary>
internal sealed class AckLog
{
    private readonly Dictionary<string, long> _assertions = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (string Hash, double Weight)> _votes = [];
    private readonly List<(long First, long Last, long Count)> _writes = [];

    /// <summary>Acknowledged assertions: hash → LSN.</summary>
    public IReadOnlyDictionary<string, long> Assertions => _assertions;

    /// <summary>Acknowledged votes: LSN → (assertion, weight).</summary>
    public IReadOnlyDictionary<long, (string Hash, double Weight)> Votes => _votes;

    /// <summary>Acknowledged writes (B … W groups) with their LSN ranges.</summary>
    public IReadOnlyList<(long First, long Last, long Count)> Writes => _writes;

    /// <summary>The highest LSN known to be durable: acknowledged, or seen stored by a previous check.</summary>
    public long KnownDurableLsn { get; private set; }

    /// <summary>The LSN count of the write the current run began (B) but did not report acknowledged (W); null if none.</summary>
    public long? InFlight { get; private set; }

    /// <summary>The highest durable LSN when the in-flight write began: its LSNs would follow it.</summary>
    public long InFlightBase { get; private set; }

    /// <summary>True when some items of the in-flight write were printed (so it must be wholly stored).</summary>
    public bool InFlightPartlyReported { get; private set; }

    /// <summary>The highest bulk-load progress (P) the current run reported.</summary>
    public long BulkRowsReported { get; private set; }

    /// <summary>Acknowledged items (assertion and vote lines) over all runs.</summary>
    public long Acknowledged { get; private set; }

    /// <summary>Takes in one run's complete stdout lines.</summary>
    public void AddRun(IEnumerable<string> lines)
    {
        InFlight = null;
        InFlightPartlyReported = false;
        BulkRowsReported = 0;
        foreach (string line in lines) Add(line);
    }

    /// <summary>Records the newest LSN a check found stored: the in-flight write's fate is settled.</summary>
    public void Settle(long storedMaxLsn)
    {
        KnownDurableLsn = Math.Max(KnownDurableLsn, storedMaxLsn);
        InFlight = null;
        InFlightPartlyReported = false;
    }

    private void Add(string line)
    {
        string[] f = line.Split(' ');
        switch (f[0])
        {
            case "B" when f.Length == 2:
                Assert.Null(InFlight);
                InFlight = long.Parse(f[1], CultureInfo.InvariantCulture);
                InFlightBase = KnownDurableLsn;
                InFlightPartlyReported = false;
                break;
            case "A" when f.Length == 3:
                AddAssertion(f[1], long.Parse(f[2], CultureInfo.InvariantCulture));
                break;
            case "V" when f.Length == 4:
                AddVote(f[1], long.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture));
                break;
            case "W" when f.Length == 4:
                Assert.NotNull(InFlight);
                long first = long.Parse(f[1], CultureInfo.InvariantCulture), last = long.Parse(f[2], CultureInfo.InvariantCulture), count = long.Parse(f[3], CultureInfo.InvariantCulture);
                Assert.Equal(InFlight, count);
                if (count > 0)
                {
                    Assert.Equal(count, last - first + 1);
                    Assert.Equal(InFlightBase + 1, first);
                    _writes.Add((first, last, count));
                    KnownDurableLsn = Math.Max(KnownDurableLsn, last);
                }
                InFlight = null;
                InFlightPartlyReported = false;
                break;
            case "P" when f.Length == 2:
                BulkRowsReported = long.Parse(f[1], CultureInfo.InvariantCulture);
                break;
            case "DONE" or "READY" or "OK" or "CLOSED":
                break;
            default:
                Assert.Fail($"The crash writer printed an unexpected line: '{line}'");
                break;
        }
    }

    private void AddAssertion(string hash, long lsn)
    {
        Assert.Equal(64, hash.Length);
        if (_assertions.TryGetValue(hash, out long known)) Assert.Equal(known, lsn);
        _assertions[hash] = lsn;
        Acknowledged++;
        if (InFlight > 0) InFlightPartlyReported = true;
        KnownDurableLsn = Math.Max(KnownDurableLsn, lsn);
    }

    private void AddVote(string hash, long lsn, double weight)
    {
        Assert.True(_votes.TryAdd(lsn, (hash, weight)), $"LSN {lsn} was acknowledged for two votes.");
        Acknowledged++;
        InFlightPartlyReported = true;
        KnownDurableLsn = Math.Max(KnownDurableLsn, lsn);
    }
}
