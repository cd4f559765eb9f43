using System.Globalization;
using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution.Stages;
using StemeQL.Planner.Plans;
using StemeQL.Planner.Syntax;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>Runs a <see cref="QueryPlan"/>: its access path, then each stage over the rows of the one before.</summary>
internal readonly struct QueryExecutor(IEpistemeStore store, ParameterValues parameters)
{
    /// <summary>The result rows, streamed (stages that must see every row first, sort and aggregate, buffer).</summary>
    public IEnumerable<StemeValue[]> Run(QueryPlan plan, CancellationToken cancellation, StageMeter? meter = null)
    {
        // Evaluate the paging arguments now, so a bad LIMIT fails at ExecuteReader rather than mid-read.
        long offset = Count(plan.Query.Offset, "OFFSET") ?? 0;
        long? limit = Count(plan.Query.Limit, "LIMIT");
        if (plan.ReadsInPlace && meter is null) return InPlace(plan, offset, limit, cancellation);
        if (plan.OneSetLookup && meter is null) return OneSet(plan, (ProjectStage)plan.Stages[0], cancellation);
        // EXPLAIN ANALYZE measures the ordered read as it ran: it returns no rows, only their counts.
        if (plan.ReadOrder is { } order && meter is null) return InIndexOrder(plan, order, offset, limit, cancellation);
        return Pipeline(plan, offset, limit, cancellation, meter, watch: null);
    }

    // The source, then each stage; watch sees the source's rows first.
    private IEnumerable<StemeValue[]> Pipeline(QueryPlan plan, long offset, long? limit, CancellationToken cancellation, StageMeter? meter,
        OrderedRead? watch)
    {
        // A plan whose only stage projects (a keyed lookup) has the source project each row as it maps
        // it: one iterator fewer per execution, and no stage context. EXPLAIN ANALYZE (a meter) keeps every stage apart.
        var project = meter is null && watch is null && plan.Stages is [ProjectStage only] && MapsRecords(plan.Access) ? only : null;
        var rows = Source(plan, Keys(plan, offset, limit), cancellation, project);
        if (watch is not null) rows = watch.Watch(rows);
        if (meter is not null) rows = meter.Measure(0, rows);
        StageContext? context = null;
        for (int i = project is null ? 0 : 1; i < plan.Stages.Count; i++)
        {
            context ??= new StageContext(parameters, cancellation) { Offset = offset, Limit = limit };
            rows = plan.Stages[i].Run(rows, context);
            if (meter is not null) rows = meter.Measure(i + 1, rows);
        }
        return plan.Sorts ? WithoutSortKeys(rows, plan.Columns.Count) : rows;
    }

    // A read in an index order, its result kept (at most OFFSET + LIMIT rows, as a top-k sort would keep) until the read is known
    // to have come in ORDER BY order; when it held text the index orders otherwise, the plan that sorts runs instead (see OrderedRead).
    private IEnumerable<StemeValue[]> InIndexOrder(QueryPlan plan, IReadOnlyList<OrderKey> order, long offset, long? limit, CancellationToken cancellation)
    {
        var watch = new OrderedRead(OrderedRead.TextOrdinals(order, Relation.Assertions.Ordinal("subject"), Relation.Assertions.Ordinal("predicate")));
        return Checked(this, plan, Pipeline(plan, offset, limit, cancellation, meter: null, watch), watch, cancellation);

        static IEnumerable<StemeValue[]> Checked(QueryExecutor executor, QueryPlan plan, IEnumerable<StemeValue[]> rows, OrderedRead watch,
            CancellationToken cancellation)
        {
            var result = rows.ToList();
            foreach (var row in watch.Untrusted ? executor.Run(plan.Unordered!, cancellation) : result) yield return row;
        }
    }

    // Ledger rows straight from the store's cursor to the reader: the seek applies the filter and the order, the
    // select list picks columns, and OFFSET / LIMIT are counted off here (see InPlaceRows).
    private IEnumerable<StemeValue[]> InPlace(QueryPlan plan, long offset, long? limit, CancellationToken cancellation)
    {
        var keys = Keys(plan, offset, limit);
        if (keys.MatchesNothing) return [];
        return new InPlaceRows(store, keys, MaxLsn(plan.AsOf), plan.InPlaceColumns!, offset, limit, cancellation);
    }

    // One set's view row from the store straight into the result row (see QueryPlan.OneSetLookup): no key filter, no
    // row iterator, no records. Read now, as a PostgreSQL view read of one set always was; a pin that is not text matches nothing.
    private StemeValue[][] OneSet(QueryPlan plan, ProjectStage project, CancellationToken cancellation)
    {
        var pins = plan.Pins;
        if (pins.Subject!.OneText(parameters) is not { } subject || pins.Predicate!.OneText(parameters) is not { } predicate) return [];
        if (!store.TryLookupViewRow(plan.Lens!.Name, subject, predicate, FieldsRead(plan), out var values)) return [];
        cancellation.ThrowIfCancellationRequested();
        var row = RowBuffers.Take(plan.Relation!.Columns.Count);
        try
        {
            return [project.Project(Rows.View(values, plan.Reads(Rows.HashOrdinal), row), parameters)];
        }
        finally
        {
            RowBuffers.Return(row);
        }
    }

    // The access paths whose rows are stored records mapped to relation rows (see Map).
    private static bool MapsRecords(AccessPath access) => access is not (AccessPath.SingleRow or AccessPath.CountPushdown
        or AccessPath.GroupedCountPushdown or AccessPath.StatusRead or AccessPath.IntegrityCheck or AccessPath.AgentSummary);

    // Apart from Run, so the lambda's closure is allocated only when the plan sorts.
    private static IEnumerable<StemeValue[]> WithoutSortKeys(IEnumerable<StemeValue[]> rows, int width) => rows.Select(row => row[..width]);

    /// <summary>The keys a plan seeks on, with parameters bound, and the order and size it wants (given its OFFSET and LIMIT).</summary>
    public KeyFilter Keys(QueryPlan plan, long offset = 0, long? limit = null)
    {
        var pins = plan.Pins;
        // The ledger's own order answers ORDER BY lsn, an index order the ORDER BY it holds; when the seek applies the whole
        // filter the store can stop early (otherwise the rows stream, and the Limit stage stops pulling them).
        long? stopAfter = (plan.FollowsLsnOrder || plan.ReadOrder is not null) && limit is { } count && plan.SeekAppliesFilter && count <= long.MaxValue - offset
            ? offset + count
            : null;
        var keys = new KeyFilter(pins.Subject?.TextValues(parameters), pins.Predicate?.TextValues(parameters))
        {
            // For votes the hashes are the voted assertions'; the ledger pins its own hash.
            Hashes = (pins.Assertion ?? pins.Hash)?.HashValues(parameters),
            Agents = pins.Agent?.TextValues(parameters),
            Objects = pins.Object?.ObjectValues(parameters),
            Fields = FieldsRead(plan),
            Descending = plan.FollowsLsnOrder && plan.Query.Order[0].Descending,
            OrderBy = plan.ReadOrder,
            Limit = stopAfter,
        };
        return pins.Lsn is { } lsn ? lsn.Apply(keys, parameters) : keys;
    }

    // Rows the query maps straight from the store decode only the parts it evaluates. A lens scan
    // folds whole assertions (hashes, agents, sets), and the other paths read no assertion rows.
    private static AssertionFields FieldsRead(QueryPlan plan) =>
        plan.Relation == Relation.Assertions && plan.Access is AccessPath.MaterializedViewLookup or AccessPath.LedgerScan
            ? Rows.AssertionFieldsFor(plan.ColumnsRead)
            : AssertionFields.All;

    /// <summary>The newest LSN an <c>AS OF</c> clause lets the query see.</summary>
    public long MaxLsn(AsOfClause? asOf)
    {
        if (asOf is null) return long.MaxValue;
        var value = Constants.Evaluate(asOf.Value, parameters);
        if (asOf.Kind == AsOfKind.Lsn)
        {
            return value.Kind == ValueKind.Integer && value.AsInteger >= 0
                ? value.AsInteger
                : throw new StemeException(StemeErrorCode.TypeMismatch, $"AS OF LSN needs a non-negative integer, not {value}.");
        }
        return store.LastLsnAt(Timestamp(value));
    }

    private IEnumerable<StemeValue[]> Source(QueryPlan plan, KeyFilter keys, CancellationToken cancellation, ProjectStage? project)
    {
        if (plan.Access == AccessPath.SingleRow) return [[]];
        long maxLsn = MaxLsn(plan.AsOf);
        if (plan.Access == AccessPath.CountPushdown)
        {
            var count = StemeValue.Integer(keys.MatchesNothing ? 0 : Count(plan, keys));
            return [[.. plan.Query.Grouping!.Aggregates.Select(_ => count)]];
        }
        if (plan.Access == AccessPath.GroupedCountPushdown) return keys.MatchesNothing ? [] : GroupedCounts(plan, keys);
        if (keys.MatchesNothing) return [];
        return plan.Access switch
        {
            AccessPath.StatusRead => [Rows.Status(store.Status)],
            AccessPath.IntegrityCheck => CheckRows(cancellation),
            AccessPath.AgentSummary => AgentSummary.Read(store, keys with { MaxLsn = Math.Min(keys.MaxLsn, maxLsn) }, cancellation),
            AccessPath.MaterializedViewLookup => Map(store.LookupView(plan.Lens!.Name, keys), Rows.View, plan, cancellation, project),
            AccessPath.LensScan => Map(LensScan.Evaluate(store, plan.Lens!, keys, maxLsn, cancellation), Rows.View, plan, cancellation, project),
            _ when plan.Relation == Relation.Votes => Map(store.ScanVotesOn(keys, maxLsn), Rows.Vote, plan, cancellation, project),
            _ => Map(store.ScanAssertions(keys, maxLsn), Rows.Assertion, plan, cancellation, project),
        };
    }

    // Stored records to relation rows (see MappedRows), projected there when projecting is the plan's only stage.
    private IEnumerable<StemeValue[]> Map<T>(IEnumerable<T> records, Func<T, bool, StemeValue[], StemeValue[]> fill, QueryPlan plan,
        CancellationToken cancellation, ProjectStage? project) =>
        new MappedRows<T>(records, fill, plan.Relation!.Columns.Count, plan.Reads(Rows.HashOrdinal), cancellation, project, parameters);

    // Lazy, so the check runs when the rows are read, like every other source.
    private IEnumerable<StemeValue[]> CheckRows(CancellationToken cancellation)
    {
        foreach (var problem in store.CheckIntegrity(repair: false, progress: null, cancellation).Problems)
            yield return Rows.Problem(problem);
    }

    // Rows shaped as the Aggregate stage makes them: the key, then each count(*).
    private IEnumerable<StemeValue[]> GroupedCounts(QueryPlan plan, KeyFilter keys)
    {
        var column = AccessCandidates.GroupColumnOf(plan.Query)!.Value;
        int aggregates = plan.Query.Grouping!.Aggregates.Count;
        foreach (var group in store.CountBy(StoreRelationOf(plan), keys, column, plan.Lens?.Name))
        {
            var row = new StemeValue[1 + aggregates];
            row[0] = StemeValue.Text(group.Key);
            row.AsSpan(1).Fill(StemeValue.Integer(group.Count));
            yield return row;
        }
    }

    // What a count reads: the votes, a lens's view, or the ledger of assertions.
    private static StoreRelation StoreRelationOf(QueryPlan plan) =>
        plan.Relation == Relation.Votes ? StoreRelation.Votes : plan.Lens is not null ? StoreRelation.View : StoreRelation.Assertions;

    private long Count(QueryPlan plan, KeyFilter keys)
    {
        var relation = StoreRelationOf(plan);
        if (relation != StoreRelation.Assertions) return store.Count(relation, keys, plan.Lens?.Name);
        // A read-only store (another process writes) keeps no live counters: it counts the rows.
        return store.Status.ReadOnly && keys.IsUnfiltered ? store.ScanAssertions(keys).LongCount() : store.Count(StoreRelation.Assertions, keys);
    }

    private long? Count(Expression? expression, string clause)
    {
        if (expression is null) return null;
        var value = Constants.Evaluate(expression, parameters);
        return value.Kind == ValueKind.Integer && value.AsInteger >= 0
            ? value.AsInteger
            : throw new StemeException(StemeErrorCode.InvalidLimit, $"{clause} needs a non-negative integer, not {value}.");
    }

    private static DateTime Timestamp(StemeValue value) => value.Kind switch
    {
        ValueKind.Timestamp => value.AsTimestamp,
        ValueKind.Text when DateTime.TryParse(value.AsText, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed) => parsed,
        _ => throw new StemeException(StemeErrorCode.TypeMismatch,
            $"AS OF TIMESTAMP needs an ISO 8601 time such as '2026-01-01T00:00:00Z', not {value}."),
    };
}
