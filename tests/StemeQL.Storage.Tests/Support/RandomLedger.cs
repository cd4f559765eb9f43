using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Tests.Backends;

namespace StemeQL.Storage.Tests.Support;

/// <summary>
/// A store filled with a random history (assertions, re-assertions, votes and replaced votes) and the
/// same history kept in memory, so each keyed read can be compared with a full scan filtered in C#.
/// </summary>
internal sealed class RandomLedger : IDisposable
{
    public static readonly string[] Subjects = [.. Enumerable.Range(0, 15).Select(i => "s" + i)];
    public static readonly string[] Predicates = ["capital_of", "population", "p2", "p3", "p4"];
    public static readonly string[] Agents = ["alice", "bob", "carol", "dave", "erin", "frank"];

    public static readonly StemeValue[] Values =
    [
        StemeValue.Text("france"), StemeValue.Text("germany"), StemeValue.Text("1"), StemeValue.Integer(1),
        StemeValue.Real(1.0), StemeValue.Boolean(true), StemeValue.Integer(2), StemeValue.Bytes([1, 2]),
        StemeValue.Text("Ünïcødé"), StemeValue.Real(double.NaN), StemeValue.Text(""), StemeValue.Bytes([]), StemeValue.Integer(0),
    ];

    private readonly IBackendStore _test;

    public RandomLedger(StoreBackend backend, int seed, int events = 600)
    {
        _test = backend.Create();
        var random = new Random(seed);
        var known = new List<Assertion>();
        for (int step = 0; step < events; step++)
        {
            var batch = new List<WriteOperation>();
            for (int i = 0, size = random.Next(1, 4); i < size; i++)
            {
                if (known.Count > 0 && random.Next(2) == 0)
                {
                    var target = known[random.Next(known.Count)];
                    batch.Add(new VoteOperation(new Vote(target.Hash, Pick(random, Agents), random.Next(5) / 4.0)));
                }
                else
                {
                    var assertion = new Assertion(Pick(random, Subjects), Pick(random, Predicates), Pick(random, Values), "",
                        Pick(random, Agents), null, random.Next(1, 5) / 4.0);
                    batch.Add(new AssertOperation(assertion));
                    known.Add(assertion);
                }
            }
            var outcomes = Store.WriteVisible(batch);
            for (int i = 0; i < batch.Count; i++)
            {
                switch (batch[i], outcomes[i])
                {
                    case (AssertOperation a, AssertOutcome { Created: true } o):
                        Assertions.Add(new StoredAssertion(a.Assertion, o.Lsn, default));
                        break;
                    case (VoteOperation v, VoteOutcome o):
                        Votes.Add(new StoredVote(v.Vote.Assertion, v.Vote.Agent, v.Vote.Weight, o.Lsn, default));
                        break;
                }
            }
        }
        ByHash = Assertions.ToDictionary(a => a.Assertion.Hash, a => a.Assertion);
    }

    public IEpistemeStore Store => _test.Store;

    /// <summary>Every created assertion with its LSN, in LSN order.</summary>
    public List<StoredAssertion> Assertions { get; } = [];

    /// <summary>Every vote with its LSN, in LSN order.</summary>
    public List<StoredVote> Votes { get; } = [];

    public Dictionary<ContentHash, Assertion> ByHash { get; }

    public void Dispose() => _test.Dispose();

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    /// <summary>True when the assertion's columns match every pinned key (the LSN is checked by the caller).</summary>
    public static bool Matches(KeyFilter keys, Assertion a, bool checkHash = true, bool checkAgent = true) =>
        (!checkHash || keys.Hashes is null || keys.Hashes.Contains(a.Hash))
        && (keys.Subjects is null || keys.Subjects.Contains(a.Subject))
        && (keys.Predicates is null || keys.Predicates.Contains(a.Predicate))
        && (!checkAgent || keys.Agents is null || keys.Agents.Contains(a.Agent))
        && (keys.Objects is null || keys.Objects.Contains(a.Object));

    public static bool InRange(KeyFilter keys, long lsn) => lsn >= keys.MinLsn && lsn <= keys.MaxLsn;

    /// <summary>Orders (ascending or descending) and limits, as the store does.</summary>
    public static List<T> Page<T>(IEnumerable<T> rows, KeyFilter keys)
    {
        var list = rows.ToList();
        if (keys.Descending) list.Reverse();
        return keys.Limit is { } limit ? list.Take((int)Math.Min(limit, int.MaxValue)).ToList() : list;
    }
}
