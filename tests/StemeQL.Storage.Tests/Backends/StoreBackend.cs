using StemeQL.Core.Lenses;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Tests.Support;

namespace StemeQL.Storage.Tests.Backends;

/// <summary>
/// A fresh store of one backend for one test: the contract suites take a <see cref="StoreBackend"/> and
/// run unchanged on each (the idea of Akka.Persistence's TCK: implement the port, subclass the spec).
/// </summary>
internal interface IBackendStore : IDisposable
{
    /// <summary>The store under test.</summary>
    IEpistemeStore Store { get; }

    /// <summary>The clock that stamps its writes.</summary>
    ManualTime Time { get; }

    /// <summary>Closes the store and opens the same data again, materializing <paramref name="lenses"/> (the default ones when null).</summary>
    void Reopen(IReadOnlyList<ILens>? lenses = null);
}

/// <summary>A storage backend the contract suites run on.</summary>
public abstract class StoreBackend
{
    /// <summary>The journal + SQLite store in a temporary folder.</summary>
    public static readonly StoreBackend Embedded = new EmbeddedBackend();

    /// <summary>The PostgreSQL store in a fresh schema of the test server.</summary>
    public static readonly StoreBackend Postgres = new PostgresBackend();

    /// <summary>The lenses every store materializes unless a test asks for others.</summary>
    public static IReadOnlyList<ILens> DefaultLenses { get; } =
        [.. LensNames.Available.Values.Where(l => l.Fold is not null).OrderBy(l => l.Name, StringComparer.Ordinal)];

    /// <summary>A fresh, empty store materializing <paramref name="lenses"/> (the default ones when null).</summary>
    internal abstract IBackendStore Create(IReadOnlyList<ILens>? lenses = null);

    /// <summary>The backend's name, for test output.</summary>
    public abstract override string ToString();
}
