using StemeQL.Storage.Embedded;

namespace StemeQL.TestSupport;

/// <summary>
/// SQL that turns a current embedded store back into an older schema version, so the tests of the
/// migrations (and of the notices an upgrade logs) start from a real older layout.
/// </summary>
public static class SchemaDowngrades
{
    /// <summary>The version 7 layout: each packed vote row lists its votes' LSNs, not their offsets from its first LSN.</summary>
    public const string ToVersion7 = """
        UPDATE vote_targets SET lsns = (SELECT json_group_array(vote_targets.first_lsn + j.value) FROM json_each(vote_targets.lsns) j);
        UPDATE vote_agents SET lsns = (SELECT json_group_array(vote_agents.first_lsn + j.value) FROM json_each(vote_agents.lsns) j);
        PRAGMA user_version = 7;
        """;

    /// <summary>The version 6 layout: votes indexed by target and by agent with an index entry per vote, no packed rows.</summary>
    public const string ToVersion6 = """
        DROP TABLE vote_targets;
        DROP TABLE vote_agents;
        CREATE INDEX votes_assertion ON votes(assertion_lsn);
        CREATE INDEX votes_agent ON votes(agent);
        PRAGMA user_version = 6;
        """;

    /// <summary>The version 5 layout: each lens state in <c>lens_state</c>, beside a view row without it.</summary>
    public const string ToVersion5 = ToVersion6 + Schema.LensStateTable + ";" + """
        INSERT INTO lens_state(lens, subject, predicate, winner_lsn, tally, data) SELECT lens, subject, predicate, lsn, tally, data FROM mv_winner;
        ALTER TABLE mv_winner DROP COLUMN tally;
        ALTER TABLE mv_winner DROP COLUMN data;
        PRAGMA user_version = 5;
        """;
}
