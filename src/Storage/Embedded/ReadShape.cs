using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

/// <summary>The keys a read can pin, in the order their bits sit in a <see cref="ReadShape"/>.</summary>
internal enum KeyKind
{
    Hash,
    Subject,
    Predicate,
    Agent,
    Object,
}

/// <summary>What a read returns: a relation or a lens's view (the lens is a parameter), or a count of it.</summary>
internal enum ReadTarget
{
    Assertions,
    Votes,
    View,
}

/// <summary>
/// The shape of a read: everything that decides its SQL text (what it reads, which keys it pins and
/// how many values each has, LSN bounds, order, limit) and nothing that is only a value. Reads of the
/// same shape share one prepared statement per connection, so a shape is packed into one number that
/// is cheap to build and to look up. A set of values is padded up to the next of a few sizes (repeating
/// its last value, which <c>IN</c> ignores) so that sets of similar size share a statement; sets larger
/// than <see cref="MaxParameters"/> go through a temporary table instead.
/// </summary>
internal readonly record struct ReadShape(ulong Bits)
{
    /// <summary>The largest set bound as individual parameters.</summary>
    public const int MaxParameters = 500;

    /// <summary>The code of a set read from a temporary table.</summary>
    public const int TableCode = 15;

    private static readonly int[] Sizes = [0, 1, 2, 3, 4, 8, 16, 32, 64, 128, 256, MaxParameters];

    private const int KeyBitsStart = 8;

    // Five keys of four bits each follow KeyBitsStart; the grouping column of a grouped count comes after them.
    private const int GroupBitsStart = KeyBitsStart + 4 * 5;

    // The parts of a ledger row the read fetches (AssertionFields), after the grouping column.
    private const int FieldBitsStart = 32;

    // The order of a read of rows (ReadOrder's code), after the fields.
    private const int OrderBitsStart = 48;

    public ReadTarget Target => (ReadTarget)(Bits & 0x7);
    public bool IsCount => (Bits & 0x8) != 0;
    public bool HasMinLsn => (Bits & 0x10) != 0;
    public bool HasMaxLsn => (Bits & 0x20) != 0;
    public bool Descending => (Bits & 0x40) != 0;
    public bool HasLimit => (Bits & 0x80) != 0;

    /// <summary>0 when the key is not pinned, <see cref="TableCode"/> for a temporary table, else the size code.</summary>
    public int Code(KeyKind kind) => (int)((Bits >> (KeyBitsStart + 4 * (int)kind)) & 0xF);

    public bool Pins(KeyKind kind) => Code(kind) != 0;

    public bool UsesTable(KeyKind kind) => Code(kind) == TableCode;

    /// <summary>How many parameters a pinned key binds (0 for none or a table).</summary>
    public int ParameterCount(KeyKind kind) => Code(kind) is var code and > 0 and < TableCode ? Sizes[code] : 0;

    /// <summary>The column a grouped count groups by, or null for a plain count or a read of rows.</summary>
    public GroupColumn? GroupBy => ((Bits >> GroupBitsStart) & 0x3) is var code and > 0 ? (GroupColumn)(code - 1) : null;

    /// <summary>True for a read of a lens's view.</summary>
    public bool IsView => Target == ReadTarget.View;

    /// <summary>
    /// The parts a read of the ledger's rows fetches (the statement selects NULL in place of the others);
    /// every part for any other read.
    /// </summary>
    public AssertionFields Fields => Target == ReadTarget.Assertions && !IsCount
        ? (AssertionFields)((Bits >> FieldBitsStart) & (ulong)LedgerColumns.Parts)
        : AssertionFields.All;

    /// <summary>The keys a read of rows is ordered by (KeyFilter.OrderBy), before its natural order; none for the natural order alone.</summary>
    public IReadOnlyList<OrderKey> OrderBy => ReadOrder.Keys((int)((Bits >> OrderBitsStart) & ((1UL << ReadOrder.Bits) - 1)));

    /// <summary>True when the read is ordered by keys of its own (<see cref="OrderBy"/>).</summary>
    public bool IsOrdered => (Bits >> OrderBitsStart) != 0;

    /// <summary>
    /// The shape of a read of <paramref name="target"/> with these keys and values counts; a read of ledger rows
    /// fetches only <paramref name="fields"/>.
    /// </summary>
    public static ReadShape For(ReadTarget target, bool count, KeyFilter keys, long maxLsn, int objectCount, GroupColumn? groupBy = null,
        AssertionFields fields = AssertionFields.All)
    {
        ulong bits = (ulong)target;
        if (target == ReadTarget.Assertions && !count) bits |= (ulong)(fields & LedgerColumns.Parts) << FieldBitsStart;
        if (count) bits |= 0x8;
        if (count && groupBy is { } group) bits |= (ulong)((int)group + 1) << GroupBitsStart;
        if (keys.MinLsn > Lsn.None) bits |= 0x10;
        if (maxLsn != long.MaxValue) bits |= 0x20;
        if (!count && keys.OrderBy is not null)
        {
            if (target == ReadTarget.Votes) throw new ArgumentException("A read of votes comes in LSN order only.", nameof(keys));
            bits |= (ulong)ReadOrder.Code(keys.OrderBy) << OrderBitsStart;
        }
        else if (!count && keys.Descending) bits |= 0x40;
        if (!count && keys.Limit is not null) bits |= 0x80;
        bits |= Pin(KeyKind.Hash, keys.Hashes?.Count);
        bits |= Pin(KeyKind.Subject, keys.Subjects?.Count);
        bits |= Pin(KeyKind.Predicate, keys.Predicates?.Count);
        bits |= Pin(KeyKind.Agent, keys.Agents?.Count);
        bits |= Pin(KeyKind.Object, keys.Objects is null ? null : objectCount);
        return new ReadShape(bits);
    }

    private static ulong Pin(KeyKind kind, int? count) => count is { } n ? (ulong)SizeCode(n) << (KeyBitsStart + 4 * (int)kind) : 0;

    private static int SizeCode(int count)
    {
        if (count > MaxParameters) return TableCode;
        for (int code = 1; ; code++)
            if (Sizes[code] >= count) return code;
    }
}
