using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;

namespace StemeQL.Storage.Tests.Support;

/// <summary>An embedded store in a fresh temporary folder with a manual clock; everything is removed on dispose.</summary>
internal sealed class TestStore : IDisposable
{
    private readonly TempFolder _folder = new();

    public TestStore(EmbeddedStoreOptions? options = null)
    {
        Time = new ManualTime(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        Options = (options ?? EmbeddedStoreOptions.Default) with { Time = Time };
        Store = EmbeddedStore.Open(_folder.Path, Options);
    }

    /// <summary>The options the store is opened with (the manual clock included).</summary>
    public EmbeddedStoreOptions Options { get; private set; }

    public EmbeddedStore Store { get; private set; }

    public ManualTime Time { get; }

    public string Folder => _folder.Path;

    /// <summary>Closes the store and opens the folder again.</summary>
    public void Reopen(EmbeddedStoreOptions? options = null)
    {
        Store.Dispose();
        if (options is not null) Options = options with { Time = Time };
        Store = EmbeddedStore.Open(_folder.Path, Options);
    }

    public void Dispose()
    {
        Store.Dispose();
        _folder.Dispose();
    }
}

/// <summary>Short ways to build and write assertions and votes.</summary>
internal static class Writes
{
    public static Assertion A(string subject, string predicate, StemeValue value, string agent = "alice",
        double confidence = 1.0, string epoch = "", IReadOnlyList<ContentHash>? lineage = null) =>
        new(subject, predicate, value, epoch, agent, lineage, confidence);

    public static Assertion A(string subject, string predicate, string text, string agent = "alice", double confidence = 1.0) =>
        A(subject, predicate, StemeValue.Text(text), agent, confidence);

    /// <summary>Writes, then waits until the write is visible to reads (the store applies writes in the background).</summary>
    public static IReadOnlyList<WriteOutcome> WriteVisible(this IEpistemeStore store, IReadOnlyList<WriteOperation> operations)
    {
        var outcomes = store.Write(operations);
        store.WaitForMaterialized(store.LastLsn, CancellationToken.None);
        return outcomes;
    }

    public static AssertOutcome Assert(this IEpistemeStore store, Assertion assertion) =>
        (AssertOutcome)store.WriteVisible([new AssertOperation(assertion)])[0];

    public static long Vote(this IEpistemeStore store, ContentHash hash, string agent, double weight = 1.0) =>
        store.WriteVisible([new VoteOperation(new Vote(hash, agent, weight))])[0].Lsn;

    public static KeyFilter Key(string subject, string predicate) => new([subject], [predicate]);

    public static ViewRow View(this IEpistemeStore store, string lens, string subject, string predicate) =>
        Xunit.Assert.Single(store.LookupView(lens, Key(subject, predicate)));
}
