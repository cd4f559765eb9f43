using System.Globalization;
using StemeQL.Core.Model;

namespace StemeQL.CrashWriter;

/// <summary>
/// <c>write &lt;folder&gt; &lt;seed&gt;</c>: random writes forever, each acknowledged item printed as
/// soon as its write returns. Two agents write through two connections, one at a time, so this
/// process is the folder's only writer and each write's LSNs follow the previous write's directly;
/// the writer checks that, and stops with exit code 3 if the store breaks it.
/// </summary>
internal sealed class RandomWriter
{
    /// <summary>Subjects written (s0 .. s7); the parent compares the views of each.</summary>
    public const int SubjectCount = 8;

    private static readonly string[] Predicates = ["p0", "p1", "p2"];
    // Few values, so assertions compete for the same value; a fresh epoch per assertion keeps every
    // new assertion new (the lenses ignore epochs) and so its LSN count known before it is written.
    private static readonly string[] Values = ["'a'", "'b'", "'c'", "1", "2.5", "TRUE"];
    private static readonly object[] BulkValues = ["a", "b", "c", 1L, 2.5, true];
    private static readonly double[] Weights = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];

    private readonly Random _random;
    private readonly int _seed;
    private readonly AckOutput _output = new();
    private readonly StemeConnection[] _connections;
    private readonly List<string> _targets = [];
    private readonly List<(int Connection, string Statement, string Hash, long Lsn)> _reassertable = [];
    private long _lastLsn;
    private long _counter;

    private RandomWriter(string folder, int seed)
    {
        _seed = seed;
        _random = new Random(seed);
        _connections = [Open(folder, "crash"), Open(folder, "crash-b")];
    }

    public static int Run(string folder, int seed)
    {
        var writer = new RandomWriter(folder, seed);
        try
        {
            writer.Loop();
            return 0;
        }
        catch (WriterBroken error)
        {
            Console.Error.WriteLine("E " + error.Message);
            return 3;
        }
    }

    private static StemeConnection Open(string folder, string agent)
    {
        var connection = new StemeConnection(new StemeConnectionStringBuilder { DataSource = folder, Agent = agent }.ConnectionString);
        connection.Open();
        return connection;
    }

    private void Loop()
    {
        _lastLsn = Convert.ToInt64(Scalar(_connections[0], "SELECT durable_lsn FROM stemeql_status"), CultureInfo.InvariantCulture);
        using (var command = new StemeCommand("SELECT hash FROM assertions LIMIT 200", _connections[0]))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) _targets.Add(reader.GetString(0));
        }
        while (true)
        {
            int connection = _random.Next(_connections.Length);
            double roll = _random.NextDouble();
            if (_targets.Count == 0 || roll < 0.30) Assert(connection, tuples: 1);
            else if (roll < 0.42) Assert(connection, tuples: _random.Next(2, 7));
            else if (roll < 0.46 && _reassertable.Count > 0) Reassert();
            else if (roll < 0.89) Vote(connection);
            else if (roll < 0.9925) Batch(connection);
            else if (roll < 0.9975) BulkVotes(connection);
            else BulkAssertions(connection);
        }
    }

    private string NextEpoch() => string.Create(CultureInfo.InvariantCulture, $"{_seed}.{++_counter}");

    private string Subject() => "s" + _random.Next(SubjectCount).ToString(CultureInfo.InvariantCulture);

    // Tuples of one ASSERT share its epoch, so the tuples of a multi-tuple ASSERT must differ.
    private string AssertText(int tuples)
    {
        var parts = new HashSet<string>();
        while (parts.Count < tuples) parts.Add($"('{Subject()}', '{Pick(Predicates)}', {Pick(Values)})");
        string text = "ASSERT " + string.Join(", ", parts) + $" IN EPOCH '{NextEpoch()}'";
        if (_random.Next(3) == 0) text += " WITH CONFIDENCE " + Pick(Weights).ToString("R", CultureInfo.InvariantCulture);
        if (_targets.Count > 0 && _random.Next(4) == 0) text += $" DERIVED FROM ('{Pick(_targets)}')";
        return text;
    }

    private void Assert(int connection, int tuples)
    {
        string text = AssertText(tuples);
        _output.Begin(tuples);
        var rows = Rows(new StemeCommand(text, _connections[connection]));
        Expect(rows.Count == tuples, $"'{text}' returned {rows.Count} rows");
        long first = _lastLsn + 1;
        foreach (var (hash, lsn, created) in rows)
        {
            Expect(created, $"'{text}' re-asserted {hash}");
            Expect(lsn == ++_lastLsn, $"'{text}' gave {hash} LSN {lsn}, expected {_lastLsn}");
            _output.Assertion(hash, lsn);
            _targets.Add(hash);
        }
        if (tuples == 1) _reassertable.Add((connection, text, rows[0].Hash, rows[0].Lsn));
        _output.Commit(first, _lastLsn, tuples);
    }

    /// <summary>The same statement on the same connection again: an idempotent write that takes no LSN.</summary>
    private void Reassert()
    {
        var (connection, text, hash, lsn) = Pick(_reassertable);
        _output.Begin(0);
        var rows = Rows(new StemeCommand(text, _connections[connection]));
        Expect(rows is [var row] && row.Hash == hash && row.Lsn == lsn && !row.Created,
            $"re-asserting '{text}' returned {string.Join(", ", rows)}, expected {hash} at LSN {lsn}, not created");
        _output.Assertion(hash, lsn);
        _output.Commit(0, 0, 0);
    }

    private void Vote(int connection)
    {
        string hash = Pick(_targets);
        double weight = Pick(Weights);
        using var command = new StemeCommand("VOTE @h WEIGHT @w", _connections[connection]);
        command.Parameters.AddWithValue("h", hash);
        command.Parameters.AddWithValue("w", weight);
        _output.Begin(1);
        long lsn;
        using (var reader = command.ExecuteReader())
        {
            Expect(reader.Read() && reader.GetString(0) == hash, $"VOTE on {hash} returned no row for it");
            lsn = reader.GetInt64(1);
        }
        Expect(lsn == _lastLsn + 1, $"VOTE got LSN {lsn}, expected {_lastLsn + 1}");
        _lastLsn = lsn;
        _output.Vote(hash, lsn, weight);
        _output.Commit(lsn, lsn, 1);
    }

    /// <summary>A StemeBatch of ASSERT and VOTE commands: one atomic write.</summary>
    private void Batch(int connection)
    {
        int commands = _random.Next(2, 13);
        using var batch = _connections[connection].CreateBatch();
        var votes = new Dictionary<int, double>();
        long expected = 0;
        for (int i = 0; i < commands; i++)
        {
            var command = batch.CreateBatchCommand();
            if (_random.Next(2) == 0)
            {
                int tuples = _random.Next(1, 4);
                command.CommandText = AssertText(tuples);
                expected += tuples;
            }
            else
            {
                double weight = Pick(Weights);
                command.CommandText = "VOTE @h WEIGHT @w";
                command.Parameters.AddWithValue("h", Pick(_targets));
                command.Parameters.AddWithValue("w", weight);
                votes[i] = weight;
                expected++;
            }
            batch.BatchCommands.Add(command);
        }
        _output.Begin(expected);
        long first = _lastLsn + 1;
        using (var reader = batch.ExecuteReader())
        {
            int index = 0;
            var newHashes = new List<string>();
            do
            {
                while (reader.Read())
                {
                    string hash = reader.GetString(0);
                    long lsn = reader.GetInt64(1);
                    Expect(lsn == ++_lastLsn, $"batch command {index} gave LSN {lsn}, expected {_lastLsn}");
                    if (votes.TryGetValue(index, out double weight))
                    {
                        _output.Vote(hash, lsn, weight);
                    }
                    else
                    {
                        Expect(reader.GetBoolean(2), $"batch command {index} re-asserted {hash}");
                        _output.Assertion(hash, lsn);
                        newHashes.Add(hash);
                    }
                }
                index++;
            }
            while (reader.NextResult());
            Expect(index == commands, $"the batch gave {index} result sets for {commands} commands");
            _targets.AddRange(newHashes);
        }
        Expect(_lastLsn - first + 1 == expected, $"the batch took {_lastLsn - first + 1} LSNs, expected {expected}");
        _output.Commit(first, _lastLsn, expected);
    }

    /// <summary>A few hundred votes through the bulk loader: one batch, one atomic write, LSNs in input order.</summary>
    private void BulkVotes(int connection)
    {
        var rows = Enumerable.Range(0, _random.Next(100, 400))
            .Select(_ => new BulkVote(Pick(_targets), _random.Next(0, 101) / 100.0))
            .ToArray();
        _output.Begin(rows.Length);
        long written = new StemeBulkLoader(_connections[connection]) { BatchSize = 65_536 }.WriteVotes(rows);
        Expect(written == rows.Length, $"the bulk loader wrote {written} of {rows.Length} votes");
        long first = _lastLsn + 1;
        foreach (var row in rows) _output.Vote(row.Assertion, ++_lastLsn, row.Weight);
        _output.Commit(first, _lastLsn, rows.Length);
    }

    /// <summary>
    /// A few hundred new assertions through the bulk loader. The loader returns no hashes, so they are
    /// computed here (content addressing makes them predictable); the parent checks each one is stored at
    /// the LSN printed, so a wrong guess fails the test rather than passing it.
    /// </summary>
    private void BulkAssertions(int connection)
    {
        string agent = _connections[connection].Agent;
        var rows = new BulkAssertion[_random.Next(50, 200)];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = new BulkAssertion(Subject(), Pick(Predicates), Pick(BulkValues), NextEpoch(),
                Pick(Weights), _random.Next(4) == 0 ? [Pick(_targets)] : null);
        }
        _output.Begin(rows.Length);
        long written = new StemeBulkLoader(_connections[connection]) { BatchSize = 65_536 }.WriteAssertions(rows);
        Expect(written == rows.Length, $"the bulk loader wrote {written} of {rows.Length} assertions");
        long first = _lastLsn + 1;
        foreach (var row in rows)
        {
            string hash = HashOf(row, agent);
            _output.Assertion(hash, ++_lastLsn);
            _targets.Add(hash);
        }
        _output.Commit(first, _lastLsn, rows.Length);
    }

    private static string HashOf(BulkAssertion row, string agent)
    {
        var value = row.Object switch
        {
            string text => StemeValue.Text(text),
            long number => StemeValue.Integer(number),
            double real => StemeValue.Real(real),
            bool flag => StemeValue.Boolean(flag),
            var other => throw new InvalidOperationException($"no bulk value of type {other.GetType()}"),
        };
        var lineage = row.DerivedFrom?.Select(ContentHash.Parse).ToArray();
        return new Assertion(row.Subject, row.Predicate, value, row.Epoch ?? "", agent, lineage, row.Confidence).Hash.ToString();
    }

    private static List<(string Hash, long Lsn, bool Created)> Rows(StemeCommand command)
    {
        using (command)
        using (var reader = command.ExecuteReader())
        {
            var rows = new List<(string, long, bool)>();
            while (reader.Read()) rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetBoolean(2)));
            return rows;
        }
    }

    private static object? Scalar(StemeConnection connection, string sql)
    {
        using var command = new StemeCommand(sql, connection);
        return command.ExecuteScalar();
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private static void Expect(bool condition, string what)
    {
        if (!condition) throw new WriterBroken(what);
    }

    private sealed class WriterBroken(string message) : Exception(message);
}
