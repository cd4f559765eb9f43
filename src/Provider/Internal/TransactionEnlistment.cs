using System.Transactions;
using StemeQL.Planner.Execution;

namespace StemeQL.Internal;

/// <summary>
/// A connection's part in an ambient <see cref="System.Transactions.Transaction"/>: a volatile
/// enlistment over the session's own transaction. The writes made in the scope are buffered in the
/// session and applied atomically when the scope commits (at the single-phase commit, or at the
/// prepare phase when the scope has other resources), and dropped when it rolls back. A connection
/// closed before the scope ends hands its session here, to be committed or rolled back and then released.
/// </summary>
internal sealed class TransactionEnlistment : ISinglePhaseNotification
{
    private readonly Session _session;
    private readonly Action<long> _committed;
    private readonly object _gate = new();
    private bool _detached;
    private bool _finished;

    /// <param name="session">The session, with its transaction already begun.</param>
    /// <param name="transaction">The ambient transaction enlisted in.</param>
    /// <param name="committed">Told the session's newest write LSN after a commit (the connection's visibility token).</param>
    public TransactionEnlistment(Session session, Transaction transaction, Action<long> committed)
    {
        _session = session;
        Transaction = transaction;
        _committed = committed;
    }

    /// <summary>The ambient transaction.</summary>
    public Transaction Transaction { get; }

    /// <summary>True until the ambient transaction has committed or rolled back.</summary>
    public bool Active
    {
        get { lock (_gate) return !_finished; }
    }

    /// <summary>
    /// The connection closes while the scope is still open: this enlistment now owns the session and
    /// releases it when the scope ends. Returns false when the scope has ended already (the caller releases it).
    /// </summary>
    public bool Detach()
    {
        lock (_gate)
        {
            if (_finished) return false;
            _detached = true;
            return true;
        }
    }

    /// <inheritdoc />
    public void SinglePhaseCommit(SinglePhaseEnlistment singlePhaseEnlistment)
    {
        try
        {
            Finish(commit: true);
            singlePhaseEnlistment.Committed();
        }
        catch (Exception e)
        {
            singlePhaseEnlistment.Aborted(e);
        }
    }

    /// <inheritdoc />
    public void Prepare(PreparingEnlistment preparingEnlistment)
    {
        // Applying the writes is the only step that can fail, so it happens here, where failing can still abort the scope.
        try
        {
            Finish(commit: true);
            preparingEnlistment.Prepared();
        }
        catch (Exception e)
        {
            preparingEnlistment.ForceRollback(e);
        }
    }

    /// <inheritdoc />
    public void Commit(Enlistment enlistment) => enlistment.Done();

    /// <inheritdoc />
    public void Rollback(Enlistment enlistment)
    {
        Finish(commit: false);
        enlistment.Done();
    }

    /// <inheritdoc />
    public void InDoubt(Enlistment enlistment)
    {
        Finish(commit: false);
        enlistment.Done();
    }

    private void Finish(bool commit)
    {
        lock (_gate)
        {
            if (_finished) return;
            _finished = true;
            try
            {
                if (!_session.InTransaction) return;
                if (commit)
                {
                    _session.Commit();
                    _committed(_session.LastWriteLsn);
                }
                else _session.Rollback();
            }
            finally
            {
                if (_detached) _session.Dispose();
            }
        }
    }
}
