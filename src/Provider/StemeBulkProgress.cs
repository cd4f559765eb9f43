namespace StemeQL;

/// <summary>What <see cref="StemeBulkLoader.Progress"/> reports after each batch is written.</summary>
public sealed class StemeBulkProgress : EventArgs
{
    internal StemeBulkProgress(long rowsWritten, int batches, TimeSpan elapsed)
    {
        RowsWritten = rowsWritten;
        Batches = batches;
        Elapsed = elapsed;
    }

    /// <summary>The rows written so far by the current call.</summary>
    public long RowsWritten { get; }

    /// <summary>The batches (atomic writes) written so far by the current call.</summary>
    public int Batches { get; }

    /// <summary>The time since the current call started.</summary>
    public TimeSpan Elapsed { get; }
}
