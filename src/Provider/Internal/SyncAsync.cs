namespace StemeQL.Internal;

/// <summary>
/// The async face of work that completes synchronously (the store is embedded). As ADO.NET expects,
/// a cancelled token gives a cancelled task and a failure gives a faulted task: nothing is thrown
/// from the call itself.
/// </summary>
internal static class SyncAsync
{
    /// <summary>Runs <paramref name="work"/> now and returns its outcome as a completed task.</summary>
    public static Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<T>(cancellationToken);
        try
        {
            return Task.FromResult(work());
        }
        catch (OperationCanceledException e)
        {
            return Task.FromCanceled<T>(e.CancellationToken.IsCancellationRequested ? e.CancellationToken : new CancellationToken(true));
        }
        catch (Exception e)
        {
            return Task.FromException<T>(e);
        }
    }

    /// <summary>Runs <paramref name="work"/> now and returns its outcome as a completed task.</summary>
    public static Task Run(Action work, CancellationToken cancellationToken) =>
        Run(() => { work(); return true; }, cancellationToken);
}
