namespace StemeQL.Linq;

/// <summary>
/// How a query that ends in First, Single, Any, All, Count or an aggregate turns the rows it reads into
/// one value. The same collector serves the synchronous and the asynchronous read loop.
/// </summary>
internal abstract class ResultOperator
{
    /// <summary>A fresh collector for one execution.</summary>
    public abstract ResultCollector Start();

    /// <summary>default(<paramref name="type"/>).</summary>
    protected static object? DefaultOf(Type type) => type.IsValueType ? Activator.CreateInstance(type) : null;
}

/// <summary>Receives the materialized elements of one execution, then gives the result.</summary>
internal abstract class ResultCollector
{
    /// <summary>Takes one element; false when no more are needed.</summary>
    public abstract bool Add(object? element);

    /// <summary>The result, once the rows ran out or <see cref="Add"/> said stop.</summary>
    public abstract object? Finish();
}

/// <summary>First / FirstOrDefault / Single / SingleOrDefault.</summary>
internal sealed class ElementResult(bool single, bool orDefault, Type type) : ResultOperator
{
    public override ResultCollector Start() => new Collector(single, orDefault, type);

    private sealed class Collector(bool single, bool orDefault, Type type) : ResultCollector
    {
        private object? _first;
        private int _count;

        public override bool Add(object? element)
        {
            if (_count++ == 0) _first = element;
            return single && _count < 2;
        }

        public override object? Finish() => _count switch
        {
            0 when orDefault => DefaultOf(type),
            0 => throw new InvalidOperationException("Sequence contains no elements"),
            > 1 => throw new InvalidOperationException("Sequence contains more than one element"),
            _ => _first,
        };
    }
}

/// <summary>Any (a row exists) and All (no row fails the condition).</summary>
internal sealed class ExistsResult(bool negate) : ResultOperator
{
    public override ResultCollector Start() => new Collector(negate);

    private sealed class Collector(bool negate) : ResultCollector
    {
        private bool _found;

        public override bool Add(object? element)
        {
            _found = true;
            return false;
        }

        public override object? Finish() => _found ^ negate;
    }
}

/// <summary>Count / LongCount of the rows a query returns, when count(*) cannot say it (after Take, Distinct or GroupBy).</summary>
internal sealed class CountRowsResult(bool isLong) : ResultOperator
{
    public override ResultCollector Start() => new Collector(isLong);

    private sealed class Collector(bool isLong) : ResultCollector
    {
        private long _count;

        public override bool Add(object? element)
        {
            _count++;
            return true;
        }

        public override object? Finish() => isLong ? _count : (object)checked((int)_count);
    }
}

/// <summary>The one value of an aggregate query (count(*), sum, avg, min, max), with LINQ's rules for no rows.</summary>
internal sealed class ScalarResult(string function, Type type) : ResultOperator
{
    public override ResultCollector Start() => new Collector(function, type);

    private sealed class Collector(string function, Type type) : ResultCollector
    {
        private object? _value;

        public override bool Add(object? element)
        {
            _value = element;
            return false;
        }

        public override object? Finish()
        {
            if (_value is not null) return _value;
            // LINQ: Sum of nothing is 0; Average / Min / Max of nothing is null for nullable results and an error otherwise.
            if (function == "sum") return DefaultOf(Nullable.GetUnderlyingType(type) ?? type);
            if (DefaultOf(type) is null) return null;
            throw new InvalidOperationException("Sequence contains no elements");
        }
    }
}
