namespace StemeQL.Core.Model;

/// <summary>
/// A <c>bytes</c> value kept outside the row, in the object store: the SHA-256 of its bytes (which
/// names it there) and its length. The value it stands for is those bytes; an assertion's hash is
/// the same whether its object is held inline or by reference.
/// </summary>
/// <param name="Hash">The SHA-256 of the bytes.</param>
/// <param name="Length">The number of bytes.</param>
public sealed record ObjectReference(ContentHash Hash, long Length)
{
    /// <summary>Prints as <c>sha256:&lt;hex&gt; (N bytes)</c>.</summary>
    public override string ToString() => $"sha256:{Hash} ({Length} bytes)";
}
