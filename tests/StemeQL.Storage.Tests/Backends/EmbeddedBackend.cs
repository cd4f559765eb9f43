using StemeQL.Core.Lenses;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;

namespace StemeQL.Storage.Tests.Backends;

/// <summary>The embedded backend: a <see cref="TestStore"/> in a temporary folder.</summary>
internal sealed class EmbeddedBackend : StoreBackend
{
    internal override IBackendStore Create(IReadOnlyList<ILens>? lenses = null) => new Instance(lenses);

    public override string ToString() => "embedded";

    private static EmbeddedStoreOptions With(IReadOnlyList<ILens>? lenses) =>
        lenses is null ? EmbeddedStoreOptions.Default : EmbeddedStoreOptions.Default with { Lenses = lenses };

    private sealed class Instance(IReadOnlyList<ILens>? lenses) : IBackendStore
    {
        private readonly TestStore _test = new(With(lenses));

        public IEpistemeStore Store => _test.Store;

        public ManualTime Time => _test.Time;

        public void Reopen(IReadOnlyList<ILens>? lenses = null) => _test.Reopen(With(lenses));

        public void Dispose() => _test.Dispose();
    }
}
