namespace StemeQL.Linq.Tests.Support;

/// <summary>One random database per seed, shared by the tests of the "linq" collection and deleted after them.</summary>
public sealed class Databases : IDisposable
{
    private readonly Dictionary<int, LinqDatabase> _bySeed = [];

    /// <summary>The seeds the differential tests run on.</summary>
    public static TheoryData<int> Seeds => new(1, 2, 3);

    /// <summary>The database filled from <paramref name="seed"/>.</summary>
    public LinqDatabase For(int seed)
    {
        lock (_bySeed)
        {
            if (!_bySeed.TryGetValue(seed, out var database)) _bySeed[seed] = database = LinqDatabase.Create(seed);
            return database;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var database in _bySeed.Values) database.Dispose();
    }
}

/// <summary>The tests that share <see cref="Databases"/>.</summary>
[CollectionDefinition("linq")]
public sealed class LinqCollection : ICollectionFixture<Databases>;
