using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    /// <inheritdoc />
    public IReadOnlyList<WriteOutcome> Write(IReadOnlyList<WriteOperation> operations, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var writer = Writer;
        return operations.Count == 0 ? [] : writer.Write(operations, cancellation);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WriteOutcome>> WriteDeferred(IReadOnlyList<WriteOperation> operations, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var writer = Writer;
        return operations.Count == 0 ? Task.FromResult<IReadOnlyList<WriteOutcome>>([]) : writer.WriteDeferred(operations, cancellation);
    }

    private WritePath Writer
    {
        get
        {
            ThrowIfDisposed();
            return _writePath ?? throw new StemeException(StemeErrorCode.ReadOnly,
                $"The database '{Folder}' is open read-only here, so ASSERT and VOTE are refused: write through a connection without Read Only=True (one process at a time can write a folder).");
        }
    }
}
