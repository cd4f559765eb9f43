using Npgsql;
using NpgsqlTypes;
using StemeQL.Core.Lenses;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// A write's new assertions as the ledger stores them, column by column (encoded once: the ledger's append and the
/// views' new rows both use them), with each row's value key and a lookup by LSN.
/// </summary>
internal sealed class PgAssertionColumns
{
    private Dictionary<long, int>? _byLsn;

    /// <summary>Encodes <paramref name="assertions"/> (before the clock lock: nothing here needs an LSN); see <see cref="Appended"/>.</summary>
    public PgAssertionColumns(IReadOnlyList<Assertion> assertions)
    {
        int n = assertions.Count;
        Lsns = new long[n];
        Hashes = new byte[n][];
        Subjects = new byte[n][];
        Predicates = new byte[n][];
        SubjectKeys = new byte[n][];
        PredicateKeys = new byte[n][];
        Types = new short[n];
        Objects = new byte[n][];
        Digests = new byte[n][];
        Epochs = new byte[n][];
        Agents = new byte[n][];
        Confidences = new double[n];
        Lineages = new byte[]?[n];
        Keys = new PgValueKey[n];
        for (int i = 0; i < n; i++)
        {
            var a = assertions[i];
            Hashes[i] = a.Hash.Bytes.ToArray();
            Subjects[i] = PgText.ToColumn(a.Subject);
            Predicates[i] = PgText.ToColumn(a.Predicate);
            // A short text's key is its stored bytes: the same array then serves both columns.
            SubjectKeys[i] = PgText.KeyOf(Subjects[i]);
            PredicateKeys[i] = PgText.KeyOf(Predicates[i]);
            Types[i] = PgValueCodec.TypeOf(a.Object);
            Objects[i] = PgValueCodec.ToColumn(a.Object);
            Digests[i] = PgValueCodec.Digest(Objects[i]);
            Epochs[i] = PgText.ToColumn(a.Epoch);
            Agents[i] = PgText.ToColumn(a.Agent);
            Confidences[i] = a.Confidence;
            Lineages[i] = PgValueCodec.LineageToColumn(a.Lineage);
            Keys[i] = new PgValueKey(new SetKey(a.Subject, a.Predicate), Types[i], ContentHash.FromBytes(Digests[i]));
        }
    }

    private PgAssertionColumns(PgAssertionColumns all, IReadOnlyList<int> rows)
    {
        Lsns = new long[rows.Count];
        Hashes = [.. rows.Select(i => all.Hashes[i])];
        Subjects = [.. rows.Select(i => all.Subjects[i])];
        Predicates = [.. rows.Select(i => all.Predicates[i])];
        SubjectKeys = [.. rows.Select(i => all.SubjectKeys[i])];
        PredicateKeys = [.. rows.Select(i => all.PredicateKeys[i])];
        Types = [.. rows.Select(i => all.Types[i])];
        Objects = [.. rows.Select(i => all.Objects[i])];
        Digests = [.. rows.Select(i => all.Digests[i])];
        Epochs = [.. rows.Select(i => all.Epochs[i])];
        Agents = [.. rows.Select(i => all.Agents[i])];
        Confidences = [.. rows.Select(i => all.Confidences[i])];
        Lineages = [.. rows.Select(i => all.Lineages[i])];
        Keys = [.. rows.Select(i => all.Keys[i])];
    }

    /// <summary>An empty set of rows (a fold of stored events: a lens build, the integrity check).</summary>
    public static PgAssertionColumns None { get; } = new([]);

    /// <summary>
    /// The rows the write appends (<paramref name="rows"/>, in order: the others were stored already), given their LSNs
    /// and the write's time. Every row new, the usual case, reuses these arrays.
    /// </summary>
    public PgAssertionColumns Appended(IReadOnlyList<int> rows, IReadOnlyList<long> lsns, long ticks)
    {
        var appended = rows.Count == Hashes.Length ? this : new PgAssertionColumns(this, rows);
        for (int i = 0; i < lsns.Count; i++) appended.Lsns[i] = lsns[i];
        appended.Ticks = ticks;
        appended._byLsn = null;
        return appended;
    }

    public long Ticks { get; private set; }
    public long[] Lsns { get; }
    public byte[][] Hashes { get; }
    public byte[][] Subjects { get; }
    public byte[][] Predicates { get; }
    public byte[][] SubjectKeys { get; }
    public byte[][] PredicateKeys { get; }
    public short[] Types { get; }
    public byte[][] Objects { get; }
    public byte[][] Digests { get; }
    public byte[][] Epochs { get; }
    public byte[][] Agents { get; }
    public double[] Confidences { get; }
    public byte[]?[] Lineages { get; }

    /// <summary>Each row's value key, as the views key it.</summary>
    public PgValueKey[] Keys { get; }


    /// <summary>
    /// Writes row <paramref name="i"/>'s object type, object, digest, epoch, agent, confidence and lineage,
    /// in that order, into a binary COPY (the ledger and the winners table share these columns).
    /// </summary>
    public void CopyValueColumns(PgCopy copy, int i)
    {
        copy.Smallint(Types[i]);
        copy.Bytea(Objects[i]);
        copy.Bytea(Digests[i]);
        copy.Bytea(Epochs[i]);
        copy.Bytea(Agents[i]);
        copy.Double(Confidences[i]);
        copy.Bytea(Lineages[i]);
    }

    /// <summary>The row of the assertion at <paramref name="lsn"/>, or -1 when it is not one of these.</summary>
    public int IndexOf(long lsn)
    {
        _byLsn ??= Lsns.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);
        return _byLsn.TryGetValue(lsn, out int i) ? i : -1;
    }
}
