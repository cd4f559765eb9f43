using Npgsql;
using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using static StemeQL.Storage.Postgres.PgCommands;

namespace StemeQL.Storage.Postgres;

/// <summary>
/// One write being sequenced under the clock lock: every hash it names is looked up in one query,
/// then each operation is checked by <see cref="WriteRules"/> against the stored assertions and those
/// earlier in the write, and given the next LSN. Nothing is inserted until the whole write has passed.
/// </summary>
internal sealed class PgSequencedWrite : IKnownAssertions
{
    private readonly Dictionary<ContentHash, long> _stored;
    private readonly Dictionary<ContentHash, long> _new = [];

    public PgSequencedWrite(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<WriteOperation> operations, long lastLsn)
    {
        LastLsn = lastLsn;
        var named = new HashSet<ContentHash>();
        foreach (var operation in operations)
        {
            switch (operation)
            {
                case AssertOperation { Assertion: { } a }:
                    named.Add(a.Hash);
                    foreach (var parent in a.Lineage) named.Add(parent);
                    break;
                case VoteOperation { Vote: { } v }:
                    named.Add(v.Assertion);
                    break;
            }
        }
        _stored = Lookup(connection, transaction, named);
    }

    public long LastLsn { get; private set; }

    /// <summary>The assertions this write creates, with their LSNs, in order.</summary>
    public List<(Assertion Assertion, long Lsn)> Assertions { get; } = [];

    /// <summary>The votes this write records, with their LSNs, in order.</summary>
    public List<(Vote Vote, long Lsn)> Votes { get; } = [];

    public AssertOutcome Assert(Assertion assertion)
    {
        // Content addressing: an existing hash is the same claim; it keeps its LSN and confidence.
        if (LsnOf(assertion.Hash) is long existing) return new AssertOutcome(assertion.Hash, existing, Created: false);
        WriteRules.RequireAgent(assertion.Agent);
        WriteRules.RequireParents(assertion, this, WriteWording.Statements);
        long lsn = ++LastLsn;
        _new[assertion.Hash] = lsn;
        Assertions.Add((assertion, lsn));
        return new AssertOutcome(assertion.Hash, lsn, Created: true);
    }

    public VoteOutcome Vote(Vote vote)
    {
        WriteRules.RequireAgent(vote.Agent);
        WriteRules.RequireTarget(vote, this, WriteWording.Statements);
        long lsn = ++LastLsn;
        Votes.Add((vote, lsn));
        return new VoteOutcome(lsn);
    }

    /// <inheritdoc />
    public bool IsKnown(ContentHash hash) => LsnOf(hash) is not null;

    private long? LsnOf(ContentHash hash) =>
        _new.TryGetValue(hash, out long lsn) ? lsn : _stored.TryGetValue(hash, out long stored) ? stored : null;

    private static Dictionary<ContentHash, long> Lookup(NpgsqlConnection connection, NpgsqlTransaction transaction, HashSet<ContentHash> hashes)
    {
        var found = new Dictionary<ContentHash, long>();
        if (hashes.Count == 0) return found;
        using var command = Create(connection, transaction, "SELECT hash, lsn FROM assertions WHERE hash = ANY($1)",
            BytesArray([.. hashes.Select(h => h.Bytes.ToArray())]));
        using var reader = command.ExecuteReader();
        while (reader.Read()) found[ContentHash.FromBytes(reader.GetFieldValue<byte[]>(0))] = reader.GetInt64(1);
        return found;
    }
}
