using System.Data;
using System.Data.Common;

namespace StemeQL;

/// <summary>
/// A transaction: every ASSERT and VOTE run in it is applied atomically at <see cref="Commit"/>, or
/// not at all. Reads inside the transaction do not see its own pending writes; hashes are known at
/// once, LSNs only after commit. Disposing without committing rolls back; a disposed transaction
/// throws <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class StemeTransaction : DbTransaction
{
    private StemeConnection? _connection;
    private readonly IsolationLevel _isolationLevel;
    private bool _disposed;

    internal StemeTransaction(StemeConnection connection, IsolationLevel isolationLevel)
    {
        _connection = connection;
        _isolationLevel = isolationLevel;
    }

    /// <summary>The connection, or null once committed or rolled back.</summary>
    public new StemeConnection? Connection => _connection;

    /// <inheritdoc />
    protected override DbConnection? DbConnection => _connection;

    /// <inheritdoc />
    public override IsolationLevel IsolationLevel =>
        _isolationLevel == IsolationLevel.Unspecified ? IsolationLevel.Serializable : _isolationLevel;

    /// <inheritdoc />
    public override void Commit()
    {
        var connection = Complete();
        connection.Session.Commit();
    }

    /// <inheritdoc />
    public override void Rollback()
    {
        var connection = Complete();
        connection.Session.Rollback();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            if (_connection is not null) Rollback();
            _disposed = true;
        }
        base.Dispose(disposing);
    }

    private StemeConnection Complete()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = _connection
            ?? throw new InvalidOperationException("The transaction has already been committed or rolled back.");
        _connection = null;
        connection.Transaction = null;
        return connection;
    }
}
