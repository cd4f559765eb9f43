using StemeQL.Core.Model;

namespace StemeQL.Planner.Binding.Bound;

/// <summary>The aggregate functions: <c>count</c>, <c>sum</c>, <c>avg</c>, <c>min</c>, <c>max</c>.</summary>
internal static class Aggregates
{
    /// <summary>The names, lowercase.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(["count", "sum", "avg", "min", "max"], StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="name"/> is an aggregate.</summary>
    public static bool IsAggregate(string name) => Names.Contains(name);

    /// <summary>The result type of an aggregate over an argument of type <paramref name="argument"/>.</summary>
    public static ColumnType ResultType(string name, ColumnType? argument) => name.ToLowerInvariant() switch
    {
        "count" => ColumnType.Integer,
        "avg" => ColumnType.Real,
        "sum" => argument is ColumnType.Integer or ColumnType.Real ? argument.Value : ColumnType.Object,
        _ => argument ?? ColumnType.Object,
    };

    /// <summary>A fresh accumulator for one group.</summary>
    public static Accumulator Create(string name, bool distinct) => name.ToLowerInvariant() switch
    {
        "count" => new CountAccumulator(distinct),
        "sum" => new SumAccumulator(distinct, average: false),
        "avg" => new SumAccumulator(distinct, average: true),
        "min" => new ExtremeAccumulator(max: false),
        _ => new ExtremeAccumulator(max: true),
    };
}

/// <summary>The running state of one aggregate in one group. NULL inputs are skipped, as in SQL.</summary>
internal abstract class Accumulator
{
    /// <summary>Adds a row's argument value (for <c>count(*)</c>, any non-NULL value).</summary>
    public abstract void Add(StemeValue value);

    /// <summary>The aggregate's value over what was added.</summary>
    public abstract StemeValue Result { get; }
}

internal sealed class CountAccumulator(bool distinct) : Accumulator
{
    private readonly HashSet<StemeValue>? _seen = distinct ? [] : null;
    private long _count;

    public override void Add(StemeValue value)
    {
        if (value.IsNull) return;
        if (_seen is null || _seen.Add(value)) _count++;
    }

    public override StemeValue Result => StemeValue.Integer(_count);
}

/// <summary>
/// <c>sum</c> and <c>avg</c>: integers are summed exactly (an overflow is an error), a real makes the
/// sum real; no values give NULL.
/// </summary>
internal sealed class SumAccumulator(bool distinct, bool average) : Accumulator
{
    private readonly HashSet<StemeValue>? _seen = distinct ? [] : null;
    private long _integer;
    private double _real;
    private bool _isReal;
    private long _count;

    public override void Add(StemeValue value)
    {
        if (value.IsNull) return;
        if (!value.IsNumeric)
            throw new StemeException(StemeErrorCode.TypeMismatch,
                $"{(average ? "avg" : "sum")} needs numbers, not the {value.Kind.ToString().ToLowerInvariant()} {value}: use count for other values, or filter with WHERE object_type IN ('integer', 'real').");
        if (_seen is not null && !_seen.Add(value)) return;
        _count++;
        if (value.Kind == ValueKind.Real || _isReal)
        {
            if (!_isReal)
            {
                _real = _integer;
                _isReal = true;
            }
            _real += value.AsReal;
            return;
        }
        try
        {
            _integer = checked(_integer + value.AsInteger);
        }
        catch (OverflowException)
        {
            if (average)
            {
                _real = (double)_integer + value.AsInteger;
                _isReal = true;
                return;
            }
            throw new StemeException(StemeErrorCode.NumericOverflow,
                "The sum does not fit in a 64-bit integer: sum a real instead, for example sum(x * 1.0).");
        }
    }

    public override StemeValue Result
    {
        get
        {
            if (_count == 0) return StemeValue.Null;
            if (average) return StemeValue.Real((_isReal ? _real : _integer) / _count);
            return _isReal ? StemeValue.Real(_real) : StemeValue.Integer(_integer);
        }
    }
}

/// <summary><c>min</c> and <c>max</c>, in ORDER BY's total order (so mixed kinds still have an answer).</summary>
internal sealed class ExtremeAccumulator(bool max) : Accumulator
{
    private StemeValue _best;

    public override void Add(StemeValue value)
    {
        if (value.IsNull) return;
        if (_best.IsNull) _best = value;
        else
        {
            int c = value.CompareForSort(_best);
            if (max ? c > 0 : c < 0) _best = value;
        }
    }

    public override StemeValue Result => _best;
}
