namespace StemeQL.Storage.Embedded;

/// <summary>The errors of a store that has stopped (fail-stop) after a journal or ingest failure.</summary>
internal static class StoreFailure
{
    /// <summary>The error every later write or wait gets once the store has failed.</summary>
    public static StemeException Stopped(Exception cause) => cause as StemeException is { ErrorCode: StemeErrorCode.StorageFailure } steme
        ? steme
        : new StemeException(StemeErrorCode.StorageFailure,
            $"The store has stopped accepting writes after a storage failure ({cause.Message}): fix the cause and reopen the database; every acknowledged write is safe in the journal.",
            cause);
}
