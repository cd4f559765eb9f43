using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    /// <inheritdoc />
    public IReadOnlyList<WriteOutcome> Write(IReadOnlyList<WriteOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ThrowIfDisposed();
        if (_writePath is null)
        {
            throw new StemeException(StemeErrorCode.ReadOnly,
                $"The database '{Folder}' is open read-only here, so ASSERT and VOTE are refused: write through a connection without Read Only=True (one process at a time can write a folder).");
        }
        return operations.Count == 0 ? [] : _writePath.Write(operations);
    }
}
