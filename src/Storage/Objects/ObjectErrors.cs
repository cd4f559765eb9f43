using StemeQL.Core.Model;
using StemeQL.Storage.Embedded;

namespace StemeQL.Storage.Objects;

/// <summary>The errors of every object store, worded once.</summary>
internal static class ObjectErrors
{
    public static StemeException Missing(ObjectReference reference, string location, Exception? cause = null) =>
        new(StemeErrorCode.ObjectMissing,
            $"The object sha256:{reference.Hash} ({reference.Length} bytes) is missing from the object store {location}: " +
            "restore it from a backup of the store, or check that this connection names the same object store (Object Bucket, Object Prefix) as the one that wrote it.",
            cause);

    public static StemeException Damaged(ObjectReference reference, string location, string how) =>
        new(StemeErrorCode.IntegrityError,
            $"The object sha256:{reference.Hash} in the object store {location} is damaged ({how}): restore it from a backup of the store; 'steme check' lists every damaged object.");

    /// <summary>
    /// A local file error of an object folder (or of the spool before an S3 upload), named by its cause.
    /// A full disk here fails only the statement, before anything is journaled, and the store carries
    /// on: so the advice is to run it again, not to reopen as when the journal or store.db is full.
    /// </summary>
    public static StemeException LocalFailure(Exception error, string folder, string doing)
    {
        var cause = StorageErrors.CauseOf(error) ?? StemeErrorCode.StorageFailure;
        return cause == StemeErrorCode.DiskFull
            ? new StemeException(cause,
                $"The disk holding the object folder '{folder}' is full (while {doing}): free some space and run the statement again; nothing was written. ({error.Message})", error)
            : StorageErrors.For(cause, folder, doing, error);
    }

    /// <summary>An object's name is its SHA-256 in lowercase hex, split after two characters (<c>ab/cdef…</c>) so no folder grows too large.</summary>
    public static string RelativeName(ContentHash hash)
    {
        string hex = hash.ToString();
        return hex[..2] + "/" + hex[2..];
    }
}
