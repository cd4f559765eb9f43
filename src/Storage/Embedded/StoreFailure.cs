namespace StemeQL.Storage.Embedded;

/// <summary>The errors of a store that has stopped (fail-stop) after a journal or ingest failure.</summary>
internal static class StoreFailure
{
    /// <summary>
    /// The error every later write gets once the store has failed: DiskFull, ReadOnlyFileSystem or
    /// PermissionDenied when that is the cause, else StorageFailure.
    /// </summary>
    public static StemeException Stopped(Exception cause)
    {
        if (StorageErrors.CauseOf(cause) is { } named and not StemeErrorCode.DatabaseLocked)
        {
            if (cause is StemeException { ErrorCode: var code } steme && code == named) return steme;
            return new StemeException(named, Advice(named, cause), cause);
        }
        return cause as StemeException is { ErrorCode: StemeErrorCode.StorageFailure } stopped
            ? stopped
            : new StemeException(StemeErrorCode.StorageFailure,
                $"The store has stopped accepting writes after a storage failure ({cause.Message}): fix the cause and reopen the database; every acknowledged write is safe in the journal.",
                cause);
    }

    private static string Advice(StemeErrorCode cause, Exception error)
    {
        string what = cause switch
        {
            StemeErrorCode.DiskFull => "the disk is full: free some space",
            StemeErrorCode.ReadOnlyFileSystem => "the file system became read-only: remount it read-write (or check the disk for errors)",
            _ => "this process lost permission to write the data folder: restore its access",
        };
        return $"The store has stopped accepting writes because {what}, then reopen the database; every acknowledged write is safe in the journal and reads keep working meanwhile. ({error.Message})";
    }
}
