namespace StemeQL.Linq;

/// <summary>
/// One row of the <c>assertions</c> relation: a ledger row, or under a lens the winning assertion of a
/// (subject, predicate) with the lens's <see cref="Confidence"/>, <see cref="Support"/> and
/// <see cref="Candidates"/> (null in ledger rows).
/// </summary>
/// <param name="Hash">The assertion's hash, 64 lowercase hex characters.</param>
/// <param name="Subject">What the claim is about.</param>
/// <param name="Predicate">The relation claimed.</param>
/// <param name="Object">The typed value: <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> or <see cref="byte"/>[]. Use <see cref="ObjectAs{T}"/> in queries.</param>
/// <param name="ObjectType"><c>text</c>, <c>integer</c>, <c>real</c>, <c>boolean</c> or <c>bytes</c>.</param>
/// <param name="Epoch">The paradigm; <c>""</c> when none was given.</param>
/// <param name="Agent">Who asserted it.</param>
/// <param name="AssertedAt">When it was first written (UTC).</param>
/// <param name="Lsn">Its log sequence number.</param>
/// <param name="Confidence">Under a lens, the lens's confidence in the answer; null in ledger rows.</param>
/// <param name="Support">Under a lens, the total weight behind the value; null in ledger rows.</param>
/// <param name="Candidates">Under a lens, how many distinct values compete; null in ledger rows.</param>
public sealed record AssertionRow(
    string Hash,
    string Subject,
    string Predicate,
    object Object,
    string ObjectType,
    string Epoch,
    string Agent,
    DateTime AssertedAt,
    long Lsn,
    double? Confidence,
    double? Support,
    long? Candidates)
{
    /// <summary>
    /// The object as <typeparamref name="T"/> (numbers convert, as a reader's <c>GetFieldValue</c> does).
    /// In a query it stands for the <c>object</c> column: <c>a.ObjectAs&lt;long&gt;() &gt; 3</c> is <c>object &gt; 3</c>.
    /// </summary>
    public T ObjectAs<T>() => Values.Convert<T>(Object, "object");
}
