using System.Globalization;
using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution.Stages;
using StemeQL.Planner.Plans;
using StemeQL.Planner.Syntax;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>Runs a <see cref="QueryPlan"/>: its access path, then each stage over the rows of the one before.</summary>
internal sealed class QueryExecutor(IEpistemeStore store, ParameterValues parameters)
{
    /// <summary>The result rows, streamed (stages that must see every row first, sort and aggregate, buffer).</summary>
    public IEnumerable<StemeValue[]> Run(QueryPlan plan, CancellationToken cancellation, StageMeter? meter = null)
    {
        // Evaluate the paging arguments now, so a bad LIMIT fails at ExecuteReader rather than mid-read.
        var context = new StageContext(parameters, cancellation)
        {
            Offset = Count(plan.Query.Offset, "OFFSET") ?? 0,
            Limit = Count(plan.Query.Limit, "LIMIT"),
        };
        var rows = Source(plan, cancellation);
        if (meter is not null) rows = meter.Measure(0, rows);
        for (int i = 0; i < plan.Stages.Count; i++)
        {
            rows = plan.Stages[i].Run(rows, context);
            if (meter is not null) rows = meter.Measure(i + 1, rows);
        }
        int width = plan.Columns.Count;
        return plan.Query.Order.Count == 0 ? rows : rows.Select(row => row[..width]);
    }

    /// <summary>The keys a plan seeks on, with parameters bound.</summary>
    public KeyFilter Keys(QueryPlan plan) =>
        new(plan.Subject?.TextValues(parameters), plan.Predicate?.TextValues(parameters));

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

    private IEnumerable<StemeValue[]> Source(QueryPlan plan, CancellationToken cancellation)
    {
        if (plan.Access == AccessPath.SingleRow) return [[]];
        long maxLsn = MaxLsn(plan.AsOf);
        var keys = Keys(plan);
        if (plan.Access == AccessPath.CountPushdown)
        {
            // A read-only store (another process writes) keeps no live counters: it counts the rows.
            long n = keys.MatchesNothing ? 0
                : store.Status.ReadOnly && !keys.PinsSubject && !keys.PinsPredicate ? store.ScanAssertions(keys, maxLsn).LongCount()
                : store.CountAssertions(keys);
            var count = StemeValue.Integer(n);
            return [[.. plan.Query.Grouping!.Aggregates.Select(_ => count)]];
        }
        if (keys.MatchesNothing) return [];
        var rows = plan.Access switch
        {
            AccessPath.StatusRead => [Rows.Status(store.Status)],
            AccessPath.IntegrityCheck => CheckRows(cancellation),
            AccessPath.MaterializedViewLookup => store.LookupView(plan.Lens!.Name, keys).Select(Rows.View),
            AccessPath.LensScan => LensScan.Evaluate(store, plan.Lens!, keys, maxLsn, cancellation).Select(Rows.View),
            _ when plan.Relation == Relation.Votes => store.ScanVotes(AssertionKeys(plan), maxLsn).Select(Rows.Vote),
            _ => store.ScanAssertions(keys, maxLsn).Select(a => Rows.Assertion(a)),
        };
        return rows.Select(row =>
        {
            cancellation.ThrowIfCancellationRequested();
            return row;
        });
    }

    // Lazy, so the check runs when the rows are read, like every other source.
    private IEnumerable<StemeValue[]> CheckRows(CancellationToken cancellation)
    {
        foreach (var problem in store.CheckIntegrity(repair: false, progress: null, cancellation).Problems)
            yield return Rows.Problem(problem);
    }

    private HashSet<ContentHash>? AssertionKeys(QueryPlan plan)
    {
        if (plan.AssertionKey is null) return null;
        var hashes = new HashSet<ContentHash>();
        foreach (var text in plan.AssertionKey.TextValues(parameters))
        {
            if (ContentHash.TryParse(text, out var hash)) hashes.Add(hash);
        }
        return hashes;
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
