using System.Globalization;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>
/// How every backend stores a reference to the object store in an assertion's object column:
/// <c>sha256:&lt;hash&gt;:&lt;length&gt;</c>. Written once here so that the backends' files agree.
/// </summary>
public static class StoredReference
{
    private const string Prefix = "sha256:";

    /// <summary>The stored text of <paramref name="reference"/>.</summary>
    public static string Format(ObjectReference reference) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{reference.Hash}:{reference.Length}");

    /// <summary>The external bytes value <paramref name="text"/> names, or an IntegrityError saying to restore <paramref name="restore"/>.</summary>
    public static StemeValue Parse(string text, string restore)
    {
        int colon = text.LastIndexOf(':');
        if (text.StartsWith(Prefix, StringComparison.Ordinal) && colon > Prefix.Length
            && ContentHash.TryParse(text[Prefix.Length..colon], out var hash)
            && long.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long length))
            return StemeValue.External(new ObjectReference(hash, length));
        throw new StemeException(StemeErrorCode.IntegrityError,
            $"The store holds a damaged object reference '{text}': restore {restore} from a backup.");
    }
}
