using System.Globalization;
using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Plans;
using StemeQL.Planner.Syntax;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>Runs a <see cref="QueryPlan"/> as a pipeline: access path, filter, sort, page, project.</summary>
internal sealed class QueryExecutor(IEpistemeStore store, ParameterValues parameters)
{
    /// <summary>The result rows, streamed unless the plan sorts.</summary>
    public IEnumerable<StemeValue[]> Run(QueryPlan plan, CancellationToken cancellation)
    {
        // Evaluate the paging arguments now, so a bad LIMIT fails at ExecuteReader rather than mid-read.
        long offset = Count(plan.Offset, "OFFSET") ?? 0;
        long? limit = Count(plan.Limit, "LIMIT");
        var keys = Keys(plan);
        if (plan.FollowsLsnOrder)
        {
            // The ledger's own order answers ORDER BY lsn; with no filter left the store can stop early.
            bool stopEarly = plan.Where is null && limit is { } pageSize && pageSize <= long.MaxValue - offset;
            keys = keys with { Descending = plan.OrderBy[0].Descending, Limit = stopEarly ? offset + limit : null };
        }
        var rows = Source(plan, keys, cancellation);
        if (plan.Where is { } where)
        {
            var evaluator = new ExpressionEvaluator(plan.Relation, parameters);
            rows = rows.Where(row => evaluator.IsTrue(where, row));
        }
        if (plan.OrderBy.Count > 0 && !plan.FollowsLsnOrder) rows = Sort(rows, plan);
        if (offset > 0) rows = rows.Skip(checked((int)Math.Min(offset, int.MaxValue)));
        if (limit is { } n) rows = rows.Take(checked((int)Math.Min(n, int.MaxValue)));
        return rows.Select(row => plan.Projection.Select(i => row[i]).ToArray());
    }

    /// <summary>The keys a plan seeks on, with parameters bound.</summary>
    public KeyFilter Keys(QueryPlan plan) =>
        new(plan.Subject?.TextValues(parameters), plan.Predicate?.TextValues(parameters))
        {
            Hashes = (plan.Hash ?? plan.AssertionKey)?.HashValues(parameters),
            Agents = plan.Agent?.TextValues(parameters),
        };

    /// <summary>The newest LSN an <c>AS OF</c> clause lets the query see.</summary>
    public long MaxLsn(AsOfClause? asOf)
    {
        if (asOf is null) return long.MaxValue;
        var value = ExpressionEvaluator.Constant(asOf.Value, parameters);
        if (asOf.Kind == AsOfKind.Lsn)
        {
            return value.Kind == ValueKind.Integer && value.AsInteger >= 0
                ? value.AsInteger
                : throw new StemeException(StemeErrorCode.TypeMismatch, $"AS OF LSN needs a non-negative integer, not {value}.");
        }
        return store.LastLsnAt(Timestamp(value));
    }

    private IEnumerable<StemeValue[]> Source(QueryPlan plan, KeyFilter keys, CancellationToken cancellation)
    {
        long maxLsn = MaxLsn(plan.AsOf);
        if (keys.MatchesNothing) return [];
        var rows = plan.Access switch
        {
            AccessPath.StatusRead => [Rows.Status(store.Status)],
            AccessPath.MaterializedViewLookup => store.LookupView(plan.Lens!.Name, keys).Select(Rows.View),
            AccessPath.LensScan => LensScan.Evaluate(store, plan.Lens!, keys, maxLsn, cancellation).Select(Rows.View),
            _ when plan.Relation == Relation.Votes => store.ScanVotesOn(keys, maxLsn).Select(Rows.Vote),
            _ => store.ScanAssertions(keys, maxLsn).Select(a => Rows.Assertion(a)),
        };
        return rows.Select(row =>
        {
            cancellation.ThrowIfCancellationRequested();
            return row;
        });
    }

    private IEnumerable<StemeValue[]> Sort(IEnumerable<StemeValue[]> rows, QueryPlan plan)
    {
        var evaluator = new ExpressionEvaluator(plan.Relation, parameters);
        var keyed = rows.Select(row => (row, keys: plan.OrderBy.Select(o => evaluator.Evaluate(o.Expression, row)).ToArray())).ToList();
        // List.Sort is not stable; ties keep the access path's order through the index.
        var indexed = keyed.Select((item, index) => (item.row, item.keys, index)).ToList();
        indexed.Sort((a, b) =>
        {
            for (int i = 0; i < plan.OrderBy.Count; i++)
            {
                int c = a.keys[i].CompareForSort(b.keys[i]);
                if (c != 0) return plan.OrderBy[i].Descending ? -c : c;
            }
            return a.index.CompareTo(b.index);
        });
        return indexed.Select(item => item.row);
    }

    private long? Count(Expression? expression, string clause)
    {
        if (expression is null) return null;
        var value = ExpressionEvaluator.Constant(expression, parameters);
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
