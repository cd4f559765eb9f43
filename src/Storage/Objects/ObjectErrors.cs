using StemeQL.Core.Model;

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

    /// <summary>An object's name is its SHA-256 in lowercase hex, split after two characters (<c>ab/cdef…</c>) so no folder grows too large.</summary>
    public static string RelativeName(ContentHash hash)
    {
        string hex = hash.ToString();
        return hex[..2] + "/" + hex[2..];
    }
}
