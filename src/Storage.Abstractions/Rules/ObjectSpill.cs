using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Objects;

/// <summary>
/// Moves large bytes values out of write operations into the object store before they are
/// journaled: each object is durable before the assertion that names it is written, and a failed
/// put fails the whole write with nothing journaled. Every write path (statements, transactions,
/// the bulk loader) passes through here, whatever the backend (so it lives with the abstractions;
/// its namespace is where it was first written).
/// </summary>
public static class ObjectSpill
{
    /// <summary>The operations with every inline bytes object longer than <paramref name="threshold"/> stored and replaced by its reference (the same list when there is none).</summary>
    public static async Task<IReadOnlyList<WriteOperation>> ExternalizeAsync(IReadOnlyList<WriteOperation> operations,
        IObjectStore objects, long threshold, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(operations);
        List<WriteOperation>? spilled = null;
        for (int i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            if (operation is AssertOperation { Assertion: var a } && IsLarge(a.Object, threshold))
            {
                spilled ??= new List<WriteOperation>(operations.Take(i));
                using var content = new MemoryStream(a.Object.AsBytes, writable: false);
                var reference = await objects.PutAsync(content, cancellation).ConfigureAwait(false);
                // The hash is the assertion's own: the identity encoding hashes bytes by their SHA-256.
                operation = new AssertOperation(Assertion.FromStorage(a.Subject, a.Predicate, StemeValue.External(reference),
                    a.Epoch, a.Agent, a.Lineage, a.Confidence, a.Hash));
            }
            spilled?.Add(operation);
        }
        return spilled ?? operations;
    }

    /// <summary>As <see cref="ExternalizeAsync"/>, for the synchronous ADO.NET calls.</summary>
    public static IReadOnlyList<WriteOperation> Externalize(IReadOnlyList<WriteOperation> operations, IObjectStore objects, long threshold,
        CancellationToken cancellation = default) =>
        HasLarge(operations, threshold)
            ? ExternalizeAsync(operations, objects, threshold, cancellation).GetAwaiter().GetResult()
            : operations;

    /// <summary>Whether any of <paramref name="operations"/> has a bytes value that <see cref="ExternalizeAsync"/> would store.</summary>
    public static bool HasLarge(IReadOnlyList<WriteOperation> operations, long threshold)
    {
        ArgumentNullException.ThrowIfNull(operations);
        for (int i = 0; i < operations.Count; i++)
            if (operations[i] is AssertOperation { Assertion: var a } && IsLarge(a.Object, threshold)) return true;
        return false;
    }

    private static bool IsLarge(StemeValue value, long threshold) =>
        value.Kind == ValueKind.Bytes && !value.IsExternal && value.BytesLength > threshold;
}
