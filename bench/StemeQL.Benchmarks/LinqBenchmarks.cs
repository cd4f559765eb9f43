using BenchmarkDotNet.Attributes;
using StemeQL.Linq;

namespace StemeQL.Benchmarks;

/// <summary>
/// A keyed lookup (one subject's population) written as LINQ and as the same prepared StemeQL command,
/// each run with a new subject every time: the LINQ query's translation and prepared command are cached by
/// shape, so its cost over the command is the expression tree the C# compiler builds per call (measured on
/// its own), one walk of it, binding and materializing.
/// The compiled query (<see cref="StemeQuery.Compile{T1, TResult}(System.Linq.Expressions.Expression{Func{StemeConnection, T1, TResult}})"/>)
/// builds no tree: it binds the subject to its kept translation (target: at most 1.3× the command's median).
/// </summary>
[MemoryDiagnoser]
public class LinqBenchmarks
{
    private static readonly Func<StemeConnection, string, Population?> PopulationOf = StemeQuery.Compile((StemeConnection db, string subject) =>
        db.Assertions().Where(a => a.Subject == subject && a.Predicate == "population").Select(a => new Population(a.Object, a.Confidence)).FirstOrDefault());

    private static readonly System.Reflection.MethodInfo FirstOrDefault =
        new Func<IQueryable<object>, object?>(Queryable.FirstOrDefault).Method.GetGenericMethodDefinition();

    private KeyedLookupDatabase _db = null!;
    private StemeCommand _command = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _db = new KeyedLookupDatabase();
        _command = new StemeCommand("SELECT object, confidence FROM assertions WHERE subject = @s AND predicate = 'population'", _db.Connection);
        _command.Parameters.AddWithValue("s", "");
        _command.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _command.Dispose();
        _db.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Prepared command")]
    public object? Command()
    {
        _command.Parameters[0].Value = NextSubject();
        using var reader = _command.ExecuteReader();
        return reader.Read() ? reader.GetValue(0) : null;
    }

    [Benchmark(Description = "LINQ (cached translation)")]
    public object? Linq()
    {
        string subject = NextSubject();
        return _db.Connection.Assertions().Where(a => a.Subject == subject && a.Predicate == "population")
            .Select(a => new { a.Object, a.Confidence }).FirstOrDefault()?.Object;
    }

    [Benchmark(Description = "LINQ expression tree only (built, not run)")]
    public object ExpressionTree()
    {
        // What the C# compiler and System.Linq.Queryable build for the inline query before it reaches the
        // provider: the part of its cost no cache can remove.
        string subject = NextSubject();
        var query = _db.Connection.Assertions().Where(a => a.Subject == subject && a.Predicate == "population")
            .Select(a => new { a.Object, a.Confidence });
        return System.Linq.Expressions.Expression.Call(FirstOrDefault.MakeGenericMethod(query.ElementType), query.Expression);
    }

    [Benchmark(Description = "LINQ compiled query")]
    public object? CompiledLinq() => PopulationOf(_db.Connection, NextSubject())?.Object;

    private string NextSubject() => KeyedLookupDatabase.Subject(_next++ % KeyedLookupDatabase.Subjects);

    /// <summary>The row the compiled query reads (a named type: a delegate's type cannot name an anonymous one).</summary>
    public sealed record Population(object Object, double? Confidence);
}
