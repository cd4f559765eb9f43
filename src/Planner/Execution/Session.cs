using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Parsing;
using StemeQL.Planner.Plans;
using StemeQL.Planner.Syntax;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Objects;
using StemeQL.Storage;

namespace StemeQL.Planner.Execution;

/// <summary>
/// What one open connection has: a lease on the shared store, its agent, and its pending transaction.
/// It prepares command text through the shared <see cref="PlanCache"/> and runs prepared statements.
/// Not thread-safe, like the connection that owns it.
/// </summary>
public sealed partial class Session : IDisposable
{
    private static readonly IReadOnlyList<ResultColumn> AssertColumns =
        [new("hash", ColumnType.Text), new("lsn", ColumnType.Integer), new("created", ColumnType.Boolean)];
    private static readonly IReadOnlyList<ResultColumn> VoteColumns =
        [new("assertion", ColumnType.Text), new("lsn", ColumnType.Integer)];

    private readonly IStoreLease _lease;
    private readonly PlanCache _cache;
    private readonly string _cacheScope;
    private readonly SessionOptions _options;
    private PendingTransaction? _transaction;
    private long _lastWriteLsn;

    private Session(IStoreLease lease, SessionOptions options, PlanCache cache)
    {
        _lease = lease;
        _options = options;
        _lastWriteLsn = options.LastWriteLsn;
        _cache = cache;
        // Plans depend on which lenses the store materializes; that never changes for a store, so the
        // cache scope is built once rather than on every Prepare (a hot path for batches).
        _cacheScope = string.Join(",", Store.MaterializedLenses.Order(StringComparer.Ordinal));
    }

    /// <summary>Opens a session on a data folder (or <c>:memory:</c>) for <paramref name="agent"/>.</summary>
    public static Session Open(string dataSource, string agent, PlanCache? cache = null) =>
        Open(new SessionOptions(dataSource, agent), cache);

    /// <summary>Opens a session as <paramref name="options"/> say, on a store from the provider they name (<see cref="StoreProviders"/>).</summary>
    /// <exception cref="StemeException">No provider has that name (InvalidConnectionString), or the store cannot be opened.</exception>
    public static Session Open(SessionOptions options, PlanCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(StoreProviders.Acquire(options.Storage, options.StoreSettings), options, cache ?? PlanCache.Shared);
    }

    /// <summary>The agent this session writes as.</summary>
    public string Agent => _options.Agent;


    /// <summary>The store this session reads and writes.</summary>
    public IEpistemeStore Store => _lease.Store;

    /// <summary>True between <see cref="BeginTransaction"/> and <see cref="Commit"/> or <see cref="Rollback"/>.</summary>
    public bool InTransaction => _transaction is not null;

    /// <summary>Parses and plans <paramref name="text"/>, or takes it from the plan cache.</summary>
    public IReadOnlyList<PreparedStatement> Prepare(string text) => Prepare(text, CancellationToken.None);

    /// <summary>
    /// Parses and plans <paramref name="text"/>, or takes it from the plan cache; throws
    /// OperationCanceledException when <paramref name="cancellation"/> fires while parsing or between plans.
    /// </summary>
    public IReadOnlyList<PreparedStatement> Prepare(string text, CancellationToken cancellation)
    {
        return _cache.GetOrAdd(_cacheScope, text, (Session: this, Text: text, Cancellation: cancellation), static s =>
        {
            var statements = StemeParser.Parse(s.Text, s.Cancellation);
            var prepared = new PreparedStatement[statements.Count];
            for (int i = 0; i < prepared.Length; i++)
            {
                s.Cancellation.ThrowIfCancellationRequested();
                prepared[i] = s.Session.PrepareOne(statements[i]);
            }
            s.Cancellation.ThrowIfCancellationRequested();
            return prepared;
        });
    }

    private PreparedStatement PrepareOne(Statement statement) => statement switch
    {
        SelectStatement select => new PreparedQuery(select, new QueryPlanHandle(QueryPlanner.Plan(select, Store))),
        ExplainStatement explain => new PreparedExplain(explain, new QueryPlanHandle(QueryPlanner.Plan(explain.Query, Store))),
        _ => new PreparedWrite(statement),
    };

    // A query or EXPLAIN over a store: the session's own, or a command's pending writes over it (Session.Atomic).
    private StatementResult Read(IEpistemeStore store, PreparedStatement statement, ParameterValues parameters, CancellationToken cancellation, long minimumLsn)
    {
        if (statement is PreparedExplain explain)
        {
            bool analyze = explain.Explain.Analyze;
            if (analyze) WaitForVisibility(minimumLsn, cancellation);
            return new StatementResult(analyze ? ExplainRenderer.AnalyzeColumns : ExplainRenderer.Columns,
                ExplainRenderer.Render(explain.Plan.Plan, store, parameters, analyze, cancellation), -1);
        }
        var plan = ((PreparedQuery)statement).Plan.Plan;
        if (plan.Access is not (AccessPath.StatusRead or AccessPath.SingleRow)) WaitForVisibility(minimumLsn, cancellation);
        return new StatementResult(plan.Columns, new QueryExecutor(store, parameters).Run(plan, cancellation), -1);
    }

    /// <summary>Runs one prepared statement. Writes happen now; query rows stream as they are read.</summary>
    /// <param name="statement">The statement.</param>
    /// <param name="parameters">Its parameter values.</param>
    /// <param name="cancellation">Cancels the statement (and a read's wait for the views, a write's storing of large values).</param>
    /// <param name="minimumLsn">A visibility token: a query first waits until the views include this LSN (0: none).</param>
    /// <param name="clock">The command's timeout clock, stopped while a write stores its large values (null: none).</param>
    public StatementResult Execute(PreparedStatement statement, ParameterValues parameters, CancellationToken cancellation, long minimumLsn = 0,
        ICommandClock? clock = null)
    {
        cancellation.ThrowIfCancellationRequested();
        switch (statement)
        {
            case PreparedQuery or PreparedExplain:
                return Read(Store, statement, parameters, cancellation, minimumLsn);
            case PreparedWrite write:
                return ExecuteWrites([(write, parameters)], cancellation, clock)[0];
            default:
                throw new StemeException(StemeErrorCode.NotSupported, $"The statement {statement.Syntax.GetType().Name} is not supported.");
        }
    }

    /// <summary>
    /// Runs several ASSERT / VOTE statements as one atomic write (one journal append): all of them
    /// are applied, or none. Returns one result per statement, in order. <paramref name="cancellation"/>
    /// also stops the storing of large values; <paramref name="clock"/>, when given, is stopped meanwhile.
    /// </summary>
    public IReadOnlyList<StatementResult> ExecuteWrites(IReadOnlyList<(PreparedWrite Statement, ParameterValues Parameters)> writes,
        CancellationToken cancellation, ICommandClock? clock = null)
    {
        cancellation.ThrowIfCancellationRequested();
        var operations = new List<WriteOperation>(writes.Count);
        // Where each statement's operations start (and the end): ints, so a batch of 10,000 commands
        // stays out of the large object heap (whose churn costs full collections). One statement (a
        // single command, the usual case) needs none: its operations are all of them.
        var starts = writes.Count == 1 ? null : new int[writes.Count + 1];
        for (int i = 0; i < writes.Count; i++)
        {
            var (statement, parameters) = writes[i];
            if (starts is not null) starts[i] = operations.Count;
            BuildOperations(statement, parameters, operations);
        }
        if (starts is not null) starts[writes.Count] = operations.Count;
        if (_transaction is not null)
        {
            var pending = _transaction.Add(operations);
            var buffered = new StatementResult[writes.Count];
            for (int i = 0; i < buffered.Length; i++)
            {
                // One statement takes the rows as they are.
                var (start, count) = RangeOf(starts, i, operations.Count);
                buffered[i] = Result(IsVote(writes[i].Statement), starts is null ? pending : pending.Slice(start, count));
            }
            return buffered;
        }
        var outcomes = Track(Store.Write(Spill(operations, cancellation, clock), cancellation));
        var results = new StatementResult[writes.Count];
        for (int i = 0; i < results.Length; i++)
        {
            var (start, count) = RangeOf(starts, i, operations.Count);
            results[i] = Result(IsVote(writes[i].Statement), new WriteResultRows(operations, outcomes, start, count));
        }
        return results;
    }

    // Statement i's operations: where they start and how many (all of them when there is one statement, no starts).
    private static (int Start, int Count) RangeOf(int[]? starts, int i, int total) =>
        starts is null ? (0, total) : (starts[i], starts[i + 1] - starts[i]);

    private static bool IsVote(PreparedWrite statement) => statement.Syntax is VoteStatement;

    private void BuildOperations(PreparedWrite statement, ParameterValues parameters, List<WriteOperation> operations)
    {
        var builder = new WriteBuilder(parameters.Agent ?? Agent, parameters);
        switch (statement.Syntax)
        {
            case AssertStatement assert:
                builder.Assert(assert, operations);
                break;
            case VoteStatement vote:
                operations.Add(builder.Vote(vote));
                break;
            default:
                throw new StemeException(StemeErrorCode.NotSupported, $"{statement.Syntax.GetType().Name} does not write.");
        }
    }

    /// <summary>The columns <paramref name="statement"/>'s result set will have, without running it (CommandBehavior.SchemaOnly).</summary>
    public static IReadOnlyList<ResultColumn> ColumnsOf(PreparedStatement statement) => statement switch
    {
        PreparedQuery query => query.Plan.Plan.Columns,
        PreparedExplain explain => explain.Explain.Analyze ? ExplainRenderer.AnalyzeColumns : ExplainRenderer.Columns,
        _ => statement.Syntax is VoteStatement ? VoteColumns : AssertColumns,
    };

    private static StatementResult Result(bool isVote, IReadOnlyList<StemeValue[]> rows) =>
        new(isVote ? VoteColumns : AssertColumns, rows, rows.Count);

    /// <summary>
    /// Writes assertions and votes built by the caller (the bulk loader) as one atomic write, in this
    /// session's transaction if one is open, and returns once it is sequenced: the task completes with
    /// the storage outcomes when it is durable (see <see cref="IEpistemeStore.WriteDeferred"/>; empty
    /// inside a transaction, where LSNs are only known at commit). Pass the outcomes to
    /// <see cref="Acknowledged"/> then, so this session's reads wait for them.
    /// </summary>
    public Task<IReadOnlyList<WriteOutcome>> WriteOperationsDeferred(IReadOnlyList<WriteOperation> operations, CancellationToken cancellation = default)
    {
        if (_transaction is null) return Store.WriteDeferred(Spill(operations), cancellation);
        _transaction.Add(operations);
        return Task.FromResult<IReadOnlyList<WriteOutcome>>([]);
    }

    /// <summary>Where this session's large bytes values go (<see cref="ObjectStoreSettings.Threshold"/> decides which).</summary>
    public IObjectStore Objects => Store.Objects;

    /// <summary>The size above which this session keeps a bytes value in the object store rather than in the row.</summary>
    public long ObjectThreshold => _options.Objects.Threshold;

    // Large values go to the object store, durable, before the write that names them is journaled.
    // Storing them takes as long as their bytes do, so the command's clock stops meanwhile; the
    // token (Cancel(), the caller's) still stops it. Without large values the clock is not touched.
    private IReadOnlyList<WriteOperation> Spill(IReadOnlyList<WriteOperation> operations,
        CancellationToken cancellation = default, ICommandClock? clock = null)
    {
        long threshold = _options.Objects.Threshold;
        if (!ObjectSpill.HasLarge(operations, threshold)) return operations;
        clock?.Pause();
        try
        {
            return ObjectSpill.Externalize(operations, Store.Objects, threshold, cancellation);
        }
        finally
        {
            clock?.Resume();
        }
    }

    /// <summary>Records a deferred write's outcomes once it is durable.</summary>
    public void Acknowledged(IReadOnlyList<WriteOutcome> outcomes) => Track(outcomes);

    private IReadOnlyList<WriteOutcome> Track(IReadOnlyList<WriteOutcome> outcomes)
    {
        foreach (var outcome in outcomes) _lastWriteLsn = Math.Max(_lastWriteLsn, outcome.Lsn);
        return outcomes;
    }

    /// <summary>Starts buffering writes until <see cref="Commit"/>.</summary>
    public void BeginTransaction()
    {
        if (_transaction is not null) throw new InvalidOperationException("A transaction is already in progress; commit or roll it back first.");
        _transaction = new PendingTransaction(Store);
    }

    /// <summary>Applies every buffered write atomically.</summary>
    public void Commit()
    {
        var transaction = _transaction ?? throw new InvalidOperationException("No transaction is in progress.");
        _transaction = null;
        if (transaction.Operations.Count > 0) Track(Store.Write(Spill(transaction.Operations)));
    }

    /// <summary>Discards every buffered write.</summary>
    public void Rollback()
    {
        if (_transaction is null) throw new InvalidOperationException("No transaction is in progress.");
        _transaction = null;
    }

    /// <summary>Discards any pending transaction and releases the store lease.</summary>
    public void Dispose()
    {
        _transaction = null;
        _lease.Dispose();
    }
}
