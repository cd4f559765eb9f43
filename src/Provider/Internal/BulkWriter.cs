using System.Diagnostics;
using StemeQL.Core.Model;
using StemeQL.Planner.Execution;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Internal;

/// <summary>
/// Turns bulk rows into storage operations and writes them a batch at a time, each batch one atomic
/// write (one journal append). Errors name the row: its 0-based index in the input, or (for
/// <c>steme import</c>) the number the caller gives with it. Per-row work is kept to the Assertion /
/// Vote objects themselves: no LINQ, one reused list, the last parsed hash reused.
/// </summary>
internal sealed class BulkWriter
{
    private readonly Session _session;
    private readonly string _agent;
    private readonly IAgentAuthorization _authorization;
    private readonly string _rowWord;
    // Session.WriteOperations copies what it keeps (the journal encodes the operations, a transaction
    // copies them), so one list serves every batch.
    private readonly List<WriteOperation> _pending;
    private readonly List<long>? _rowNumbers;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Task<IReadOnlyList<WriteOutcome>>? _inFlight;
    private int _inFlightRows;
    private long _rowsSequenced;
    private string? _lastHashText;
    private ContentHash _lastHash;

    /// <param name="session">The session to write through, in its transaction if one is open.</param>
    /// <param name="batchSize">The rows per atomic write.</param>
    /// <param name="rowWord">How errors name a row: "Row" (with its input index) or "line" (with the number given).</param>
    /// <param name="numbered">True when the caller gives each row's number; false to number rows 0, 1, 2…</param>
    /// <param name="authorization">Who rows may name as their agent besides the session's; null: only the session's.</param>
    public BulkWriter(Session session, int batchSize, string rowWord = "Row", bool numbered = false, IAgentAuthorization? authorization = null)
    {
        _session = session;
        _agent = session.Agent;
        _authorization = authorization ?? ConnectionStringAgentAuthorization.OwnAgentOnly;
        BatchSize = batchSize;
        _rowWord = rowWord;
        _pending = new List<WriteOperation>(Math.Min(batchSize, 1 << 20));
        _rowNumbers = numbered ? [] : null;
    }

    /// <summary>The rows per atomic write.</summary>
    public int BatchSize { get; }

    /// <summary>True when the pending rows make a whole batch.</summary>
    public bool IsFull => _pending.Count >= BatchSize;

    /// <summary>Rows written (assertions already stored included: writing them again succeeds and changes nothing).</summary>
    public long RowsWritten { get; private set; }

    /// <summary>Batches written.</summary>
    public int Batches { get; private set; }

    /// <summary>Assertions this writer created.</summary>
    public long AssertionsCreated { get; private set; }

    /// <summary>Assertions that were stored already (inside a transaction, where this is only known at commit, they count as created).</summary>
    public long AssertionsExisting { get; private set; }

    /// <summary>Votes written.</summary>
    public long VotesWritten { get; private set; }

    /// <summary>Called after each batch becomes durable (and is counted).</summary>
    public Action<BulkWriter>? BatchDurable { get; init; }

    /// <summary>The database name the ingest counters are tagged with (<c>db.namespace</c>).</summary>
    public string Database { get; init; } = "";

    /// <summary>False when the connection's telemetry is off: the ingest counters are not added to.</summary>
    public bool Counted { get; init; } = true;

    /// <summary>Time since the writer started.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The index (or given number) the next row added without a number gets.</summary>
    private long NextRow => _rowsSequenced + _pending.Count;

    /// <summary>Checks an assertion and adds it to the batch.</summary>
    /// <exception cref="StemeException">The row is not a valid assertion; the message names it.</exception>
    public void Add(in BulkAssertion row, long number = -1)
    {
        long name = number >= 0 ? number : NextRow;
        _pending.Add(new AssertOperation(BuildAssertion(row, name)));
        _rowNumbers?.Add(name);
    }

    /// <summary>Checks a vote and adds it to the batch.</summary>
    /// <exception cref="StemeException">The row is not a valid vote; the message names it.</exception>
    public void Add(in BulkVote row, long number = -1)
    {
        long name = number >= 0 ? number : NextRow;
        try
        {
            _pending.Add(new VoteOperation(new Vote(Hash(row.Assertion, "the assertion hash"), _authorization.AgentFor(_agent, row.Agent), row.Weight)));
        }
        catch (StemeException e)
        {
            throw RowError(name, e.ErrorCode, e.Message, e);
        }
        _rowNumbers?.Add(name);
    }

    /// <summary>
    /// Writes the pending rows as one atomic write, or (on any error) none of them; the batch is
    /// emptied either way. Returns once the write is sequenced and the previous one is durable, so
    /// the next batch is built while this one's fsync runs; <see cref="Complete"/> waits for the last.
    /// <paramref name="cancellation"/> ends a back-pressure wait before the write starts (nothing of it is written).
    /// </summary>
    public void Flush(CancellationToken cancellation = default)
    {
        int rows = _pending.Count;
        if (rows == 0) return;
        Task<IReadOnlyList<WriteOutcome>> write;
        bool done;
        try
        {
            write = _session.WriteOperationsDeferred(_pending, cancellation);
            // Read once: the write may become durable at any moment, and it must be counted exactly once.
            done = write.IsCompletedSuccessfully;
            if (done)
            {
                // Nothing to wait for (a transaction, only assertions already stored, or already
                // durable): count it now, behind the one in flight, so counts follow row order.
                Drain();
                Acknowledge(write.Result, rows);
            }
        }
        catch (StemeException e) when (e.ErrorCode == StemeErrorCode.UnknownAssertion)
        {
            throw LocateUnknown() ?? e;
        }
        finally
        {
            _rowsSequenced += rows;
            _pending.Clear();
            _rowNumbers?.Clear();
        }
        if (done) return;
        try
        {
            Drain();
        }
        catch
        {
            // The store has stopped, so this write fails too: observe it, report the first failure.
            write.ContinueWith(static t => t.Exception, TaskScheduler.Default);
            throw;
        }
        (_inFlight, _inFlightRows) = (write, rows);
    }

    /// <summary>Writes the pending rows and waits until every write is durable.</summary>
    public void Complete()
    {
        Flush();
        Drain();
    }

    /// <summary>Waits until the write in flight is durable and counts it; throws if it failed.</summary>
    public void Drain()
    {
        if (_inFlight is not { } write) return;
        _inFlight = null;
        Acknowledge(write.GetAwaiter().GetResult(), _inFlightRows);
    }

    /// <summary>
    /// After a failure (a bad row, cancellation): waits for the write in flight, which is valid and
    /// sequenced, so "the batches before it stay written" holds when the caller hears of the failure.
    /// A failure of that write itself stopped the store, which the next statement reports.
    /// </summary>
    public void DrainAfterError()
    {
        try
        {
            Drain();
        }
        catch (StemeException)
        {
            // Reported by the store from now on; the caller's own error is the one to throw.
        }
    }

    private void Acknowledge(IReadOnlyList<WriteOutcome> outcomes, int rows)
    {
        _session.Acknowledged(outcomes);
        Count(outcomes);
        RowsWritten += rows;
        Batches++;
        BatchDurable?.Invoke(this);
    }

    private Assertion BuildAssertion(in BulkAssertion row, long name)
    {
        try
        {
            var lineage = row.DerivedFrom is { Count: > 0 } parents ? Lineage(parents) : null;
            return new Assertion(
                row.Subject ?? throw Missing("subject"),
                row.Predicate ?? throw Missing("predicate"),
                ObjectValue(row.Object), row.Epoch ?? "", _authorization.AgentFor(_agent, row.Agent), lineage, row.Confidence);
        }
        catch (StemeException e)
        {
            throw RowError(name, e.ErrorCode, e.Message, e);
        }
    }

    private ContentHash[] Lineage(IReadOnlyList<string> parents)
    {
        var hashes = new ContentHash[parents.Count];
        for (int i = 0; i < hashes.Length; i++) hashes[i] = Hash(parents[i], "a DerivedFrom hash");
        return hashes;
    }

    // Votes often come in runs on one assertion: parsing its hash once saves a hex decode and an array per row.
    private ContentHash Hash(string? text, string what)
    {
        if (text is null) throw new StemeException(StemeErrorCode.InvalidHash, $"{Capitalize(what)} is missing (null).");
        if (string.Equals(text, _lastHashText, StringComparison.Ordinal)) return _lastHash;
        _lastHash = ContentHash.Parse(text);
        _lastHashText = text;
        return _lastHash;
    }

    private static StemeValue ObjectValue(object? value)
    {
        StemeValue result;
        try
        {
            result = ParameterBinder.ToValue("object", value);
        }
        catch (Exception e) when (e is NotSupportedException || e is StemeException { ErrorCode: StemeErrorCode.InvalidParameterValue })
        {
            // A bad row is a row error with its number (StemeException), not an API misuse.
            throw new StemeException(StemeErrorCode.InvalidParameterValue,
                $"The object is a {value!.GetType().Name}, which StemeQL cannot store: use a string, integer, floating-point number, bool or byte[].", e);
        }
        return WriteRules.RequireObject(result, WriteWording.BulkRows);
    }

    private static StemeException Missing(string field) =>
        new(StemeErrorCode.TypeMismatch, $"The {field} is null: every assertion needs a subject, a predicate and an object.");

    private StemeException RowError(long name, StemeErrorCode code, string message, Exception? inner)
    {
        var error = new StemeException(code, $"{_rowWord} {name}: {message}", inner);
        error.Data["Row"] = name; // the row's index in the input (or its line, for steme import)
        return error;
    }

    private void Count(IReadOnlyList<WriteOutcome> outcomes)
    {
        long assertions = AssertionsCreated + AssertionsExisting, votes = VotesWritten;
        CountOutcomes(outcomes);
        if (!Counted) return;
        Telemetry.AssertionsWritten.Add(AssertionsCreated + AssertionsExisting - assertions, Telemetry.Namespace(Database));
        Telemetry.VotesWritten.Add(VotesWritten - votes, Telemetry.Namespace(Database));
    }

    private void CountOutcomes(IReadOnlyList<WriteOutcome> outcomes)
    {
        if (outcomes.Count == 0)
        {
            // In a transaction the store reports nothing until commit.
            foreach (var operation in _pending)
            {
                if (operation is VoteOperation) VotesWritten++;
                else AssertionsCreated++;
            }
            return;
        }
        foreach (var outcome in outcomes)
        {
            if (outcome is AssertOutcome assert)
            {
                if (assert.Created) AssertionsCreated++;
                else AssertionsExisting++;
            }
            else
            {
                VotesWritten++;
            }
        }
    }

    /// <summary>
    /// The store says only that some hash is unknown; on this (rare) path, find the first row that
    /// names a hash neither stored nor asserted earlier in the batch, so the error can name it.
    /// </summary>
    private StemeException? LocateUnknown()
    {
        var known = new AssertedInWrite(_session.Store);
        for (int i = 0; i < _pending.Count; i++)
        {
            if (WriteRules.UnknownIn(_pending[i], known) is { } unknown)
            {
                var error = unknown.ToException(WriteWording.BulkRows);
                return RowError(_rowNumbers?[i] ?? _rowsSequenced + i, error.ErrorCode, error.Message, null);
            }
            if (_pending[i] is AssertOperation { Assertion: var assertion }) known.Add(assertion.Hash);
        }
        return null;
    }

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
